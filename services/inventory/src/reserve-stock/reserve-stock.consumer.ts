import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, type ReserveStockCommand } from '@shop/contracts';
import type { MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import type { InventoryConfig } from '../config';
import { decideReserve } from '../domain';
import { INVENTORY_CONFIG } from '../shared/inventory-tokens';
import { ReservationLedger } from '../shared/reservation-ledger';

/**
 * ReserveStock -> StockReserved | StockReservationFailed. All or nothing
 * across the order's products; at most one reservation per order (a repeated
 * command gets the first answer again); concurrent orders for the last units
 * queue on the product's row lock and each sees what the previous one left.
 */
@Injectable()
export class ReserveStockConsumer {
  constructor(
    @Inject(ReservationLedger) private readonly ledger: ReservationLedger,
    @Inject(INVENTORY_CONFIG) private readonly config: InventoryConfig,
  ) {}

  @HandleMessage('ReserveStock')
  async onReserveStock(command: ReserveStockCommand, context: MessageContext): Promise<void> {
    const { orderId, items } = command.payload;
    await this.ledger.handleCommand(context.groupId, command, {
      name: 'reserve',
      orderId,
      productIds: items.map((item) => item.productId),
      decide: (existing, stock) =>
        decideReserve(existing, { orderId, items }, stock, {
          now: new Date(),
          ttlMs: this.config.RESERVATION_TTL_MS,
          newReservationId: uuidv7(),
        }),
    });
  }
}
