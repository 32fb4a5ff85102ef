import type { SqlExecutor } from '@shop/persistence';
import {
  deltaOf,
  isReservable,
  type ProductStatus,
  type ProductStock,
  type StockLevel,
  type StockMovement,
} from '../domain';

export interface StockRow extends StockLevel {
  productId: string;
  sku: string;
  productStatus: ProductStatus;
}

const STOCK_COLUMNS = `product_id AS "productId", sku, product_status AS "productStatus",
  available, reserved, sold, restocked`;

/**
 * Locks the stock rows of these products in productId order (the same order
 * in every transaction, so two reservations of the same products queue
 * instead of deadlocking) and returns the rows that exist.
 */
export async function lockStock(tx: SqlExecutor, productIds: readonly string[]): Promise<StockRow[]> {
  if (productIds.length === 0) return [];
  return tx.query<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock_items WHERE product_id = ANY($1::uuid[]) ORDER BY product_id FOR UPDATE`,
    [productIds],
  );
}

export async function readStock(tx: SqlExecutor, productId: string): Promise<StockRow | undefined> {
  const [row] = await tx.query<StockRow>(
    `SELECT ${STOCK_COLUMNS} FROM stock_items WHERE product_id = $1::uuid`,
    [productId],
  );
  return row;
}

/** What a reservation decision sees of each product. */
export function productStockMap(rows: readonly StockRow[]): Map<string, ProductStock> {
  return new Map(
    rows.map((row) => [
      row.productId,
      { productId: row.productId, available: row.available, reservable: isReservable(row.productStatus) },
    ]),
  );
}

/** A movement the stock could not take: the transaction is rolled back (and the message retried). */
export class StockConflictError extends Error {
  constructor(movements: readonly StockMovement[], applied: readonly string[]) {
    super(
      `stock movements not applied (a bucket would go negative or the product is missing): ` +
        JSON.stringify(movements.filter((m) => !applied.includes(m.productId))),
    );
    this.name = 'StockConflictError';
  }
}

/**
 * Applies the movements in ONE conditional UPDATE: each row changes only if
 * no bucket goes negative (the CHECK constraints would refuse it anyway). The
 * rows are already locked by the caller, so a refusal here means a bug, and
 * it rolls the whole transaction back.
 */
export async function applyMovements(tx: SqlExecutor, movements: readonly StockMovement[]): Promise<void> {
  if (movements.length === 0) return;
  if (new Set(movements.map((m) => m.productId)).size !== movements.length)
    throw new Error('one movement per product and transaction step (merge the items first)');
  const deltas = movements.map(deltaOf);
  const applied = await tx.query<{ productId: string }>(
    `UPDATE stock_items s SET
       available = s.available + d.available,
       reserved = s.reserved + d.reserved,
       sold = s.sold + d.sold,
       restocked = s.restocked + d.restocked,
       updated_at = now()
     FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[])
       AS d(product_id, available, reserved, sold, restocked)
     WHERE s.product_id = d.product_id
       AND s.available + d.available >= 0
       AND s.reserved + d.reserved >= 0
       AND s.sold + d.sold >= 0
     RETURNING s.product_id AS "productId"`,
    [
      movements.map((m) => m.productId),
      deltas.map((d) => d.available),
      deltas.map((d) => d.reserved),
      deltas.map((d) => d.sold),
      deltas.map((d) => d.restocked),
    ],
  );
  if (applied.length !== movements.length)
    throw new StockConflictError(
      movements,
      applied.map((row) => row.productId),
    );
}
