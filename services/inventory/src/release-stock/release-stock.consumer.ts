import { Inject, Injectable } from '@nestjs/common';
import type { ReleaseStockCommand } from '@shop/contracts';
import type { MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { decideRelease } from '../domain';
import { ReservationLedger } from '../shared/reservation-ledger';

/**
 * ReleaseStock -> StockReleased (the saga's compensation). Gives back what
 * the order holds; with no reservation yet it records the order as released,
 * so a ReserveStock arriving later is refused (ORDER_RELEASED). Releasing
 * again is acknowledged again without effect.
 */
@Injectable()
export class ReleaseStockConsumer {
  constructor(@Inject(ReservationLedger) private readonly ledger: ReservationLedger) {}

  @HandleMessage('ReleaseStock')
  async onReleaseStock(command: ReleaseStockCommand, context: MessageContext): Promise<void> {
    const { orderId } = command.payload;
    await this.ledger.handleCommand(context.groupId, command, {
      name: 'release',
      orderId,
      decide: (existing) => decideRelease(existing, orderId),
    });
  }
}
