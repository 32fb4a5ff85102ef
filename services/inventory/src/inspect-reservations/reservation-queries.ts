import type { SqlExecutor } from '@shop/persistence';
import type { ReservationStatus } from '../domain';
import { readReservation } from '../shared/reservation-sql';

export interface ReservationView {
  orderId: string;
  reservationId: string | null;
  status: ReservationStatus;
  items: { productId: string; quantity: number }[];
  expiresAt: string | null;
  failure: { reason: string; shortages: unknown[] } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export async function reservationOfOrder(
  sql: SqlExecutor,
  orderId: string,
): Promise<ReservationView | undefined> {
  const record = await readReservation(sql, orderId);
  if (!record) return undefined;
  const { reservation } = record;
  return {
    ...reservation,
    expiresAt: reservation.expiresAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export interface ProductReservationView {
  orderId: string;
  reservationId: string;
  status: ReservationStatus;
  quantity: number;
  expiresAt: Date | null;
  updatedAt: Date;
}

/** The reservations holding (or having held) units of a product, newest first, optionally of one status. */
export async function reservationsOfProduct(
  sql: SqlExecutor,
  productId: string,
  options: { status?: ReservationStatus; limit: number },
): Promise<ProductReservationView[]> {
  return sql.query<ProductReservationView>(
    `SELECT r.order_id AS "orderId", r.reservation_id AS "reservationId", r.status, i.quantity,
            r.expires_at AS "expiresAt", r.updated_at AS "updatedAt"
     FROM reservation_items i JOIN reservations r ON r.order_id = i.order_id
     WHERE i.product_id = $1::uuid AND ($2::text IS NULL OR r.status = $2)
     ORDER BY r.created_at DESC, r.order_id LIMIT $3`,
    [productId, options.status ?? null, options.limit],
  );
}
