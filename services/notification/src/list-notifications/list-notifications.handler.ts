import type { SqlExecutor } from '@shop/persistence';
import { CHANNELS, type Channel, type DeliveryStatus, type NotificationKind } from '../domain/notification';
import { encodeCursor } from '../domain/notification-cursor';
import type { ListNotificationsQuery } from './list-notifications.query';
import type { ChannelView, NotificationPage, NotificationView } from './notification-view';

interface Row {
  id: string;
  kind: NotificationKind;
  order_id: string;
  title: string;
  body: string;
  created_at: Date;
  channels: { channel: Channel; status: DeliveryStatus; reason: string | null; sent_at: string | null }[];
}

/**
 * A customer's notifications, newest first, keyset-paginated on
 * (created_at, id) (index notifications_customer_newest_idx): a page costs
 * the same however deep it is, and notifications created meanwhile do not
 * shift later pages.
 */
export class ListNotificationsHandler {
  constructor(private readonly sql: SqlExecutor) {}

  async execute(customerId: string, query: ListNotificationsQuery): Promise<NotificationPage> {
    const rows = await this.sql.query<Row>(
      `SELECT n.id, n.kind, n.order_id, n.title, n.body, n.created_at,
              (SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status, 'reason', d.reason,
                                                 'sent_at', d.sent_at))
                 FROM notification_deliveries d WHERE d.notification_id = n.id) AS channels
         FROM notifications n
        WHERE n.customer_id = $1
          AND ($2::timestamptz IS NULL OR (n.created_at, n.id) < ($2::timestamptz, $3::uuid))
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT $4`,
      [customerId, query.cursor?.createdAt ?? null, query.cursor?.id ?? null, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toView),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  }
}

function toView(row: Row): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    orderId: row.order_id,
    title: row.title,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    channels: [...row.channels]
      .sort((a, b) => CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel))
      .map((d): ChannelView => ({
        channel: d.channel,
        status: d.status,
        ...(d.reason !== null && { reason: d.reason }),
        ...(d.sent_at !== null && { sentAt: new Date(d.sent_at).toISOString() }),
      })),
  };
}
