import { Inject, Injectable } from '@nestjs/common';
import type { CatalogEvent } from '@shop/contracts';
import { handleOnce, type MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import type { SqlExecutor } from '@shop/persistence';
import { InventoryDatabase } from '../infrastructure/inventory-database';
import { CATALOG_GROUP } from '../shared/inventory-tokens';

/**
 * Stock records from the catalog's product events. Every event carries the
 * whole product snapshot, so any of them creates the record (with 0 units)
 * if it is missing, and updates sku/status only when its version is newer
 * than the one stored: a stale or replayed event changes nothing. Stock
 * counts are never touched here (only restocks and reservations move them).
 */
@Injectable()
export class ProductReplicaConsumer {
  constructor(@Inject(InventoryDatabase) private readonly database: InventoryDatabase) {}

  @HandleMessage('ProductCreated', { group: CATALOG_GROUP })
  onCreated(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  @HandleMessage('ProductPriceChanged', { group: CATALOG_GROUP })
  onPriceChanged(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  @HandleMessage('ProductDetailsChanged', { group: CATALOG_GROUP })
  onDetailsChanged(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  @HandleMessage('ProductDiscontinued', { group: CATALOG_GROUP })
  onDiscontinued(event: CatalogEvent, context: MessageContext): Promise<void> {
    return this.apply(event, context);
  }

  private async apply(event: CatalogEvent, context: MessageContext): Promise<void> {
    await handleOnce(this.database.sql, context.groupId, event, (tx) => upsertProduct(tx, event.payload));
  }
}

/** Version-guarded upsert of the product part of a stock record. */
export async function upsertProduct(
  tx: SqlExecutor,
  product: { productId: string; sku: string; status: string; version: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO stock_items (product_id, sku, product_status, product_version)
     VALUES ($1::uuid, $2, $3, $4)
     ON CONFLICT (product_id) DO UPDATE
       SET sku = EXCLUDED.sku, product_status = EXCLUDED.product_status,
           product_version = EXCLUDED.product_version, updated_at = now()
       WHERE stock_items.product_version < EXCLUDED.product_version`,
    [product.productId, product.sku, product.status, product.version],
  );
}
