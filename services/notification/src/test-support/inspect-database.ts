import type { SqlExecutor } from '@shop/persistence';

export interface StoredNotification {
  id: string;
  customer_id: string;
  kind: string;
  order_id: string;
  title: string;
  body: string;
  source_event_id: string;
}

export interface StoredDelivery {
  notification_id: string;
  channel: string;
  status: string;
  reason: string | null;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  recipient: string | null;
  sent_at: Date | null;
  next_attempt_at: Date | null;
}

/** Read-only looks into the service's tables, for assertions. */
export class InspectDatabase {
  constructor(private readonly sql: SqlExecutor) {}

  notificationsOf(orderIds: readonly string[]): Promise<StoredNotification[]> {
    return this.sql.query<StoredNotification>(
      `SELECT id, customer_id, kind, order_id, title, body, source_event_id
         FROM notifications WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, kind`,
      [orderIds],
    );
  }

  deliveriesOf(
    orderIds: readonly string[],
  ): Promise<(StoredDelivery & { order_id: string; kind: string })[]> {
    return this.sql.query(
      `SELECT d.*, n.order_id, n.kind FROM notification_deliveries d
         JOIN notifications n ON n.id = d.notification_id
        WHERE n.order_id = ANY($1::uuid[]) ORDER BY n.order_id, n.kind, d.channel`,
      [orderIds],
    );
  }

  async emailOf(orderId: string, kind: string): Promise<StoredDelivery | undefined> {
    const [row] = await this.sql.query<StoredDelivery>(
      `SELECT d.* FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE n.order_id = $1 AND n.kind = $2 AND d.channel = 'email'`,
      [orderId, kind],
    );
    return row;
  }

  async emailsWithStatus(status: string): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notification_deliveries WHERE channel = 'email' AND status = $1`,
      [status],
    );
    return row!.n;
  }
}
