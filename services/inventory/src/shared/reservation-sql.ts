import type { SqlExecutor } from '@shop/persistence';
import type { Reservation, ReservationFailureReason, ReservationStatus, Shortage } from '../domain';
import type { StockItem } from '../domain';

/** A reservation row: the domain's reservation plus the flow it belongs to. */
export interface ReservationRecord {
  reservation: Reservation;
  correlationId: string;
  /** The message that created the row. */
  causationId: string;
  createdAt: Date;
  updatedAt: Date;
}

interface ReservationRow {
  orderId: string;
  reservationId: string | null;
  status: ReservationStatus;
  expiresAt: Date | null;
  failureReason: ReservationFailureReason | null;
  shortages: Shortage[] | null;
  version: number;
  correlationId: string;
  causationId: string;
  createdAt: Date;
  updatedAt: Date;
  items: StockItem[];
}

const RESERVATION_SELECT = `SELECT r.order_id AS "orderId", r.reservation_id AS "reservationId", r.status,
    r.expires_at AS "expiresAt", r.failure_reason AS "failureReason", r.shortages, r.version,
    r.correlation_id AS "correlationId", r.causation_id AS "causationId",
    r.created_at AS "createdAt", r.updated_at AS "updatedAt",
    COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity)
                              ORDER BY i.product_id)
              FROM reservation_items i WHERE i.order_id = r.order_id), '[]'::json) AS items
  FROM reservations r`;

/** The order's reservation, its row locked until the transaction ends; undefined if there is none. */
export async function lockReservation(
  tx: SqlExecutor,
  orderId: string,
): Promise<ReservationRecord | undefined> {
  const [row] = await tx.query<ReservationRow>(
    `${RESERVATION_SELECT} WHERE r.order_id = $1::uuid FOR UPDATE OF r`,
    [orderId],
  );
  return row && recordOf(row);
}

export async function readReservation(
  tx: SqlExecutor,
  orderId: string,
): Promise<ReservationRecord | undefined> {
  const [row] = await tx.query<ReservationRow>(`${RESERVATION_SELECT} WHERE r.order_id = $1::uuid`, [
    orderId,
  ]);
  return row && recordOf(row);
}

/** Orders whose live reservation is past its deadline, oldest first (the sweeper's partial index). */
export async function expiredReservationOrders(tx: SqlExecutor, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<{ orderId: string }>(
    `SELECT order_id AS "orderId" FROM reservations
     WHERE status = 'RESERVED' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((row) => row.orderId);
}

/** Thrown when two first commands of one order raced (another message id for the same order): retried. */
export class ReservationRaceError extends Error {
  constructor(orderId: string) {
    super(`the reservation of order ${orderId} was created concurrently; the command is retried`);
    this.name = 'ReservationRaceError';
  }
}

/** Inserts a new reservation (with its items) or writes a change of status, checking the version. */
export async function saveReservation(
  tx: SqlExecutor,
  next: Reservation,
  previous: ReservationRecord | undefined,
  flow: { correlationId: string; causationId: string },
): Promise<void> {
  if (!previous) {
    const inserted = await tx.query(
      `INSERT INTO reservations (order_id, reservation_id, status, expires_at, failure_reason, shortages, version,
                                 correlation_id, causation_id)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::jsonb, $7, $8, $9)
       ON CONFLICT (order_id) DO NOTHING RETURNING 1`,
      [
        next.orderId,
        next.reservationId,
        next.status,
        next.expiresAt,
        next.failure?.reason ?? null,
        next.failure ? JSON.stringify(next.failure.shortages) : null,
        next.version,
        flow.correlationId,
        flow.causationId,
      ],
    );
    if (inserted.length === 0) throw new ReservationRaceError(next.orderId);
    if (next.items.length > 0)
      await tx.query(
        `INSERT INTO reservation_items (order_id, product_id, quantity)
         SELECT $1::uuid, product_id, quantity FROM unnest($2::uuid[], $3::int[]) AS i(product_id, quantity)`,
        [next.orderId, next.items.map((i) => i.productId), next.items.map((i) => i.quantity)],
      );
    return;
  }
  const updated = await tx.query(
    `UPDATE reservations SET status = $2, version = $3, updated_at = now()
     WHERE order_id = $1::uuid AND version = $4 RETURNING 1`,
    [next.orderId, next.status, next.version, previous.reservation.version],
  );
  if (updated.length !== 1)
    throw new Error(`reservation of order ${next.orderId} changed under its row lock`);
}

function recordOf(row: ReservationRow): ReservationRecord {
  return {
    reservation: {
      orderId: row.orderId,
      reservationId: row.reservationId,
      status: row.status,
      items: row.items,
      expiresAt: row.expiresAt,
      failure: row.failureReason ? { reason: row.failureReason, shortages: row.shortages ?? [] } : null,
      version: row.version,
    },
    correlationId: row.correlationId,
    causationId: row.causationId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
