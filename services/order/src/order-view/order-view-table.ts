/**
 * The `order_views` table (schema.prisma, "order view" section) through the
 * SqlExecutor, so the projection writes inside its inbox transaction and the
 * rebuild into its staging copy of the table.
 */
import type { SqlExecutor } from '@shop/persistence';
import type { CancellationReason, OrderLine, OrderStatus, PaymentStatus } from '../domain';
import type { OrderView, TimelineEntry } from './order-view-projection';

export const ORDER_VIEWS_TABLE = 'order_views';

const COLUMN_TYPES = {
  id: 'uuid',
  customer_id: 'text',
  status: 'text',
  currency: 'text',
  total_cents: 'bigint',
  payment_status: 'text',
  payment_id: 'text',
  cancellation_reason: 'text',
  cancellation_detail: 'text',
  lines: 'jsonb',
  timeline: 'jsonb',
  version: 'int',
  placed_at: 'timestamptz',
  updated_at: 'timestamptz',
} as const;
type Column = keyof typeof COLUMN_TYPES;
const COLUMNS = Object.keys(COLUMN_TYPES) as Column[];
export const ORDER_VIEW_COLUMNS = COLUMNS.join(', ');

export interface OrderViewRow {
  id: string;
  customer_id: string;
  status: string;
  currency: string;
  /** int8 comes back as a string (node-postgres types). */
  total_cents: string | number;
  payment_status: string;
  payment_id: string | null;
  cancellation_reason: string | null;
  cancellation_detail: string | null;
  lines: OrderLine[];
  timeline: TimelineEntry[];
  version: number;
  placed_at: Date;
  updated_at: Date;
}

export function viewFromRow(row: OrderViewRow): OrderView {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as OrderStatus,
    lines: row.lines,
    currency: row.currency,
    totalCents: Number(row.total_cents),
    paymentStatus: row.payment_status as PaymentStatus,
    paymentId: row.payment_id,
    cancellationReason: row.cancellation_reason as CancellationReason | null,
    cancellationDetail: row.cancellation_detail,
    timeline: row.timeline,
    version: row.version,
    placedAt: row.placed_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function rowOf(view: OrderView): Record<Column, unknown> {
  return {
    id: view.id,
    customer_id: view.customerId,
    status: view.status,
    currency: view.currency,
    total_cents: view.totalCents,
    payment_status: view.paymentStatus,
    payment_id: view.paymentId,
    cancellation_reason: view.cancellationReason,
    cancellation_detail: view.cancellationDetail,
    lines: view.lines,
    timeline: view.timeline,
    version: view.version,
    placed_at: view.placedAt,
    updated_at: view.updatedAt,
  };
}

export async function findOrderViews(
  db: SqlExecutor,
  ids: readonly string[],
  table = ORDER_VIEWS_TABLE,
): Promise<Map<string, OrderView>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<OrderViewRow>(
    `SELECT ${ORDER_VIEW_COLUMNS} FROM ${table}
     WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(ids)],
  );
  return new Map(rows.map((row) => [row.id, viewFromRow(row)]));
}

export async function findOrderView(db: SqlExecutor, id: string): Promise<OrderView | null> {
  return (await findOrderViews(db, [id])).get(id) ?? null;
}

const RECORD_TYPE = COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ');
const UPDATES = COLUMNS.filter((c) => c !== 'id')
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(', ');

/**
 * Inserts or replaces the views in one statement. A stored row is replaced
 * only by a higher version: whatever the caller's locking, the view never
 * goes back in time.
 */
export async function saveOrderViews(
  db: SqlExecutor,
  views: readonly OrderView[],
  table = ORDER_VIEWS_TABLE,
): Promise<void> {
  if (views.length === 0) return;
  await db.query(
    `INSERT INTO ${table} (${ORDER_VIEW_COLUMNS})
     SELECT ${ORDER_VIEW_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS v(${RECORD_TYPE})
     ON CONFLICT (id) DO UPDATE SET ${UPDATES} WHERE ${table}.version < EXCLUDED.version`,
    [JSON.stringify(views.map(rowOf))],
  );
}
