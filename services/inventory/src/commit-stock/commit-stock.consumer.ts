import { Inject, Injectable } from '@nestjs/common';
import type { CommitStockCommand } from '@shop/contracts';
import type { MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { decideCommit } from '../domain';
import { ReservationLedger } from '../shared/reservation-ledger';

/**
 * CommitStock -> StockCommitted (reserved -> sold, at confirmation). If the
 * reservation expired meanwhile, the units are taken again from available
 * when they are all there; otherwise nothing is taken and an alert is
 * recorded and logged at error level (src/domain/reservation.ts).
 */
@Injectable()
export class CommitStockConsumer {
  constructor(@Inject(ReservationLedger) private readonly ledger: ReservationLedger) {}

  @HandleMessage('CommitStock')
  async onCommitStock(command: CommitStockCommand, context: MessageContext): Promise<void> {
    const { orderId } = command.payload;
    await this.ledger.handleCommand(context.groupId, command, {
      name: 'commit',
      orderId,
      decide: (existing, stock) => decideCommit(existing, orderId, stock),
    });
  }
}
