/** Commands, product events and database reads the integration suites share. */
import {
  CommitStockV1,
  ProductCreatedV1,
  ProductDiscontinuedV1,
  ReleaseStockV1,
  ReserveStockV1,
  uuidv7,
  type MessageEnvelope,
} from '@shop/contracts';
import { KafkaMessaging } from '@shop/messaging';
import type { SqlExecutor } from '@shop/persistence';
import { inventoryRegistry } from '../inventory.module';

export interface Item {
  productId: string;
  quantity: number;
}

export const reserveStock = (orderId: string, items: Item[]): MessageEnvelope =>
  ReserveStockV1.create({
    source: 'order',
    aggregateId: orderId,
    aggregateVersion: 1,
    payload: { orderId, items },
  });

export const releaseStock = (orderId: string, reservationId: string | null = null): MessageEnvelope =>
  ReleaseStockV1.create({
    source: 'order',
    aggregateId: orderId,
    aggregateVersion: 2,
    payload: { orderId, reservationId },
  });

export const commitStock = (orderId: string, reservationId: string | null = null): MessageEnvelope =>
  CommitStockV1.create({
    source: 'order',
    aggregateId: orderId,
    aggregateVersion: 2,
    payload: { orderId, reservationId },
  });

export function productCreated(productId = uuidv7(), version = 1, sku = `SKU-${productId.slice(-8)}`) {
  return ProductCreatedV1.create({
    source: 'catalog',
    aggregateId: productId,
    aggregateVersion: version,
    payload: {
      productId,
      sku,
      name: 'Test product',
      description: '',
      priceCents: 1000,
      currency: 'EUR',
      status: 'active',
      version,
    },
  });
}

export function productDiscontinued(productId: string, version: number, sku: string) {
  return ProductDiscontinuedV1.create({
    source: 'catalog',
    aggregateId: productId,
    aggregateVersion: version,
    payload: {
      productId,
      sku,
      name: 'Test product',
      priceCents: 1000,
      currency: 'EUR',
      status: 'discontinued',
      version,
    },
  });
}

/** A publisher on the suite's brokers for commands and catalog events (validated against the contracts). */
export const testMessaging = (brokers: readonly string[]): KafkaMessaging =>
  new KafkaMessaging({ clientId: 'inventory-test', brokers, registry: inventoryRegistry() });

export interface StockNumbers {
  productId: string;
  productStatus: string;
  productVersion: number;
  sku: string;
  available: number;
  reserved: number;
  sold: number;
  restocked: number;
}

export async function stockRows(sql: SqlExecutor): Promise<StockNumbers[]> {
  return sql.query<StockNumbers>(
    `SELECT product_id AS "productId", product_status AS "productStatus", product_version AS "productVersion", sku,
            available, reserved, sold, restocked FROM stock_items ORDER BY product_id`,
  );
}

export async function stockOf(sql: SqlExecutor, productId: string): Promise<StockNumbers | undefined> {
  return (await stockRows(sql)).find((row) => row.productId === productId);
}

/**
 * Per product: what the reservations say it should hold, beside what the stock row says.
 * reserved must equal the units of RESERVED reservations, sold those of COMMITTED ones.
 */
export async function ledgerMismatches(sql: SqlExecutor): Promise<unknown[]> {
  return sql.query(
    `SELECT s.product_id, s.available, s.reserved, s.sold, s.restocked, h.held, h.committed
     FROM stock_items s
     LEFT JOIN (SELECT i.product_id,
                       COALESCE(sum(i.quantity) FILTER (WHERE r.status = 'RESERVED'), 0)::int AS held,
                       COALESCE(sum(i.quantity) FILTER (WHERE r.status = 'COMMITTED'), 0)::int AS committed
                FROM reservation_items i JOIN reservations r USING (order_id) GROUP BY i.product_id) h
       USING (product_id)
     WHERE s.available < 0 OR s.restocked <> s.available + s.reserved + s.sold
        OR s.reserved <> COALESCE(h.held, 0) OR s.sold <> COALESCE(h.committed, 0)`,
  );
}
