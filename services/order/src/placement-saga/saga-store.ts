/**
 * The placement_sagas table: the pure saga's state as jsonb, plus the
 * columns the service queries (status, the armed timer's due time, owner).
 * Writers of one saga are serialized by its row lock (SELECT ... FOR UPDATE).
 */
import type { SqlExecutor } from '@shop/persistence';
import type { SagaState, SagaStatus } from '../domain';

export interface SagaRow {
  orderId: string;
  customerId: string;
  correlationId: string;
  state: SagaState;
}

interface RawSagaRow {
  order_id: string;
  customer_id: string;
  correlation_id: string;
  state: SagaState;
}

const fromRaw = (row: RawSagaRow): SagaRow => ({
  orderId: row.order_id,
  customerId: row.customer_id,
  correlationId: row.correlation_id,
  state: row.state,
});

export async function insertSaga(tx: SqlExecutor, row: SagaRow): Promise<void> {
  await tx.query(
    `INSERT INTO placement_sagas (order_id, customer_id, correlation_id, status, state, timer_at, created_at, updated_at)
     VALUES ($1::uuid, $2, $3::uuid, $4, $5::jsonb, $6::timestamptz, $7::timestamptz, $7::timestamptz)`,
    [
      row.orderId,
      row.customerId,
      row.correlationId,
      row.state.status,
      JSON.stringify(row.state),
      timerAt(row.state),
      row.state.updatedAt,
    ],
  );
}

/**
 * The saga row, locked until the transaction ends; null when there is none
 * (or, with skipLocked, when another transaction holds it).
 */
export async function lockSaga(
  tx: SqlExecutor,
  orderId: string,
  { skipLocked = false } = {},
): Promise<SagaRow | null> {
  const [row] = await tx.query<RawSagaRow>(
    `SELECT order_id, customer_id, correlation_id, state FROM placement_sagas
     WHERE order_id = $1::uuid FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
    [orderId],
  );
  return row ? fromRaw(row) : null;
}

export async function updateSaga(tx: SqlExecutor, orderId: string, state: SagaState): Promise<void> {
  await tx.query(
    `UPDATE placement_sagas SET status = $2, state = $3::jsonb, timer_at = $4::timestamptz, updated_at = $5::timestamptz
     WHERE order_id = $1::uuid`,
    [orderId, state.status, JSON.stringify(state), timerAt(state), state.updatedAt],
  );
}

/** Orders whose armed timer is due at `now`, oldest first. */
export async function dueTimers(sql: SqlExecutor, now: Date, limit: number): Promise<string[]> {
  const rows = await sql.query<{ order_id: string }>(
    `SELECT order_id FROM placement_sagas WHERE timer_at <= $1::timestamptz ORDER BY timer_at LIMIT $2`,
    [now.toISOString(), limit],
  );
  return rows.map((r) => r.order_id);
}

export interface SagaSummary {
  orderId: string;
  customerId: string;
  status: SagaStatus;
  state: SagaState;
  updatedAt: string;
}

/** Sagas in a status (e.g. PARKED), most recently changed first. */
export async function sagasInStatus(
  sql: SqlExecutor,
  status: SagaStatus,
  limit: number,
): Promise<SagaSummary[]> {
  const rows = await sql.query<RawSagaRow & { status: SagaStatus; updated_at: Date | string }>(
    `SELECT order_id, customer_id, correlation_id, status, state, updated_at FROM placement_sagas
     WHERE status = $1 ORDER BY updated_at DESC LIMIT $2`,
    [status, limit],
  );
  return rows.map((r) => ({
    orderId: r.order_id,
    customerId: r.customer_id,
    status: r.status,
    state: r.state,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

function timerAt(state: SagaState): string | null {
  return state.timer?.at ?? null;
}
