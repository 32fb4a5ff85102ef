/**
 * Transaction-scoped advisory locks of the order view (two-int keys, a class
 * of their own: 0x4f565700 + n, "OV").
 *
 * - The TABLE lock: every projection transaction takes it SHARED, the
 *   rebuild's swap EXCLUSIVE. So the live projection runs freely while the
 *   rebuild replays into its staging table, and pauses only for the swap
 *   (catch-up + copy), never writing into a table being replaced.
 * - The ORDER lock: one projection transaction per order at a time (two
 *   group members during a rebalance, or a redelivery racing the original),
 *   also when the order has no row yet (a row lock could not cover that).
 * - The REBUILD lock: one rebuild at a time (tried, not waited for).
 *
 * `SELECT 1 FROM lock()`: Prisma's raw queries cannot return a void column.
 */
import type { SqlExecutor } from '@shop/persistence';

const TABLE_LOCK = [0x4f565701, 0] as const;
const ORDER_LOCK_CLASS = 0x4f565702;
const REBUILD_LOCK = [0x4f565703, 0] as const;

/** For a projection transaction: shared table lock, then the order's lock. */
export async function lockForProjection(tx: SqlExecutor, orderId: string): Promise<void> {
  await tx.query('SELECT 1 AS locked FROM pg_advisory_xact_lock_shared($1::int, $2::int)', TABLE_LOCK);
  await tx.query('SELECT 1 AS locked FROM pg_advisory_xact_lock($1::int, hashtext($2::text))', [
    ORDER_LOCK_CLASS,
    orderId,
  ]);
}

/** For the rebuild's swap: waits for running projection transactions, holds off new ones until commit. */
export async function lockTableExclusively(tx: SqlExecutor): Promise<void> {
  await tx.query('SELECT 1 AS locked FROM pg_advisory_xact_lock($1::int, $2::int)', TABLE_LOCK);
}

/** False when another rebuild is running. */
export async function tryLockRebuild(tx: SqlExecutor): Promise<boolean> {
  const [row] = await tx.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_xact_lock($1::int, $2::int) AS locked',
    REBUILD_LOCK,
  );
  return row?.locked === true;
}
