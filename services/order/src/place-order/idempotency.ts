import { createHash } from 'node:crypto';
import { ApiError } from '@shop/contracts';
import type { SqlExecutor } from '@shop/persistence';
import type { PlaceOrderAccepted, PlaceOrderBody } from './place-order.dto';

/**
 * POST /orders idempotency: the first request with a key stores its
 * response in the placement's transaction; a repeat with the same body gets
 * it back, one with another body a 422. The primary key (customer, key)
 * decides between concurrent duplicates: the second insert waits for the
 * first transaction and then finds the row.
 */
export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  response: PlaceOrderAccepted;
}

/** The request's fingerprint: its meaning, not its bytes (key order, id case and spacing do not count). */
export function requestHash(body: PlaceOrderBody): string {
  const canonical = JSON.stringify({
    items: body.items.map((i) => [i.productId, i.quantity]),
    token: body.paymentMethod.token,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export async function findIdempotencyRecord(
  sql: SqlExecutor,
  customerId: string,
  key: string,
): Promise<IdempotencyRecord | null> {
  const [row] = await sql.query<{ request_hash: string; status_code: number; response: PlaceOrderAccepted }>(
    'SELECT request_hash, status_code, response FROM idempotency_keys WHERE customer_id = $1 AND key = $2',
    [customerId, key],
  );
  return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response } : null;
}

/** Inserts the record; false when the key is taken (waits for a concurrent holder to commit or roll back). */
export async function claimIdempotencyKey(
  tx: SqlExecutor,
  customerId: string,
  key: string,
  record: IdempotencyRecord & { orderId: string },
): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO idempotency_keys (customer_id, key, request_hash, order_id, status_code, response)
     VALUES ($1, $2, $3, $4::uuid, $5, $6::jsonb)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [customerId, key, record.requestHash, record.orderId, record.statusCode, JSON.stringify(record.response)],
  );
  return rows.length > 0;
}

/** The stored answer for a repeated request, or 422 when the key came with another body. */
export function replay(record: IdempotencyRecord, hash: string): IdempotencyRecord {
  if (record.requestHash !== hash)
    throw new ApiError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request; use a new key for a new order',
    );
  return record;
}
