import { Inject, Injectable } from '@nestjs/common';
import type { CatalogEvent } from '@shop/contracts';
import { handleOnce, type MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { CatalogDatabase } from '../../infrastructure/catalog-database';
import { ProductCache } from '../shared/product-cache';

/**
 * Event-driven invalidation: the catalog consumes its own catalog.events and
 * drops the changed product's entry and the list pages. The handlers after a
 * commit already did so (read-your-writes); this is the guarantee when that
 * failed (Redis blip, crash between commit and invalidation): Redis errors
 * throw here, so the consumer retries the event. The inbox records each event
 * once per group, so redeliveries are skipped.
 */
@Injectable()
export class CacheInvalidationConsumer {
  constructor(
    @Inject(CatalogDatabase) private readonly database: CatalogDatabase,
    @Inject(ProductCache) private readonly cache: ProductCache,
  ) {}

  @HandleMessage('ProductCreated')
  onCreated(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.invalidate(event, context);
  }

  @HandleMessage('ProductPriceChanged')
  onPriceChanged(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.invalidate(event, context);
  }

  @HandleMessage('ProductDetailsChanged')
  onDetailsChanged(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.invalidate(event, context);
  }

  @HandleMessage('ProductDiscontinued')
  onDiscontinued(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.invalidate(event, context);
  }

  private async invalidate(event: CatalogEvent, context: MessageContext): Promise<void> {
    // Inside the inbox transaction: if Redis fails, the inbox row rolls back and the event is retried.
    await handleOnce(this.database.sql, context.groupId, event, () =>
      this.cache.invalidate(event.payload.productId),
    );
  }
}
