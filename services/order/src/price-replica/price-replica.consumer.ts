import { Inject, Injectable } from '@nestjs/common';
import type { CatalogEvent } from '@shop/contracts';
import { handleOnce, type MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { ORDER_GROUPS } from '../config';
import { OrderDatabase } from '../infrastructure/order-database';
import { upsertPrice } from './price-book';

const group = ORDER_GROUPS.priceReplica;

/**
 * The order service's replica of catalog prices: every catalog event carries
 * the whole product snapshot, so each one upserts the row, unless the row is
 * already at that version or a newer one (a redelivery, a replay).
 */
@Injectable()
export class PriceReplicaConsumer {
  constructor(@Inject(OrderDatabase) private readonly database: OrderDatabase) {}

  @HandleMessage('ProductCreated', { group })
  onCreated(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  @HandleMessage('ProductPriceChanged', { group })
  onPriceChanged(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  @HandleMessage('ProductDetailsChanged', { group })
  onDetailsChanged(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  @HandleMessage('ProductDiscontinued', { group })
  onDiscontinued(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  private async apply(event: CatalogEvent, context: MessageContext): Promise<void> {
    await handleOnce(this.database.sql, context.groupId, event, async (tx) => {
      await upsertPrice(tx, event.payload);
    });
  }
}
