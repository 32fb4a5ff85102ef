import { ApiError } from '@shop/contracts';
import type { SqlExecutor } from '@shop/persistence';
import type { CallerIdentity } from '@shop/service-kit';
import { orderNotFound } from '../shared/order-errors';
import { canonicalListQuery, type ListOrdersQuery } from './list-orders.query';
import type { OrderViewCache } from './order-view-cache';
import type { OrderView } from './order-view-projection';
import { findOrderView, ORDER_VIEW_COLUMNS, viewFromRow, type OrderViewRow } from './order-view-table';

/** A line of a customer's order history (the full view is GET /orders/:id). */
export type OrderSummary = Pick<
  OrderView,
  | 'id'
  | 'status'
  | 'currency'
  | 'totalCents'
  | 'paymentStatus'
  | 'cancellationReason'
  | 'placedAt'
  | 'updatedAt'
> & { itemCount: number };

export interface OrderPage {
  items: OrderSummary[];
  page: number;
  limit: number;
  total: number;
}

const isAdmin = (caller: CallerIdentity): boolean => caller.roles.includes('admin');

/**
 * The query side: reads `order_views` only (never the event store), through
 * the cache. An order of someone else is answered 404 like an unknown one,
 * so ids cannot be probed for existence; admins see every order.
 */
export class OrderQueries {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly cache: OrderViewCache,
  ) {}

  async get(orderId: string, caller: CallerIdentity): Promise<OrderView> {
    const view = await this.cache.order(orderId, () => findOrderView(this.sql, orderId));
    if (!view || (view.customerId !== caller.userId && !isAdmin(caller))) throw orderNotFound(orderId);
    return view;
  }

  /** Newest first (placedAt, then id, descending: a stable order for paging). */
  list(query: ListOrdersQuery, caller: CallerIdentity): Promise<OrderPage> {
    const customerId = query.customerId ?? caller.userId;
    if (customerId !== caller.userId && !isAdmin(caller))
      throw new ApiError('FORBIDDEN', "Only admins may list another customer's orders");
    return this.cache.list(customerId, canonicalListQuery(query), () => this.load(customerId, query));
  }

  private async load(customerId: string, { status, page, limit }: ListOrdersQuery): Promise<OrderPage> {
    const filter = 'customer_id = $1 AND ($2::text IS NULL OR status = $2::text)';
    const [rows, [counted]] = await Promise.all([
      this.sql.query<OrderViewRow>(
        `SELECT ${ORDER_VIEW_COLUMNS} FROM order_views WHERE ${filter}
         ORDER BY placed_at DESC, id DESC LIMIT $3 OFFSET $4`,
        [customerId, status ?? null, limit, (page - 1) * limit],
      ),
      this.sql.query<{ total: number }>(`SELECT count(*)::int AS total FROM order_views WHERE ${filter}`, [
        customerId,
        status ?? null,
      ]),
    ]);
    return { items: rows.map((row) => summaryOf(viewFromRow(row))), page, limit, total: counted?.total ?? 0 };
  }
}

function summaryOf(view: OrderView): OrderSummary {
  const { id, status, currency, totalCents, paymentStatus, cancellationReason, placedAt, updatedAt } = view;
  const itemCount = view.lines.reduce((sum, line) => sum + line.quantity, 0);
  return {
    id,
    status,
    currency,
    totalCents,
    paymentStatus,
    cancellationReason,
    itemCount,
    placedAt,
    updatedAt,
  };
}
