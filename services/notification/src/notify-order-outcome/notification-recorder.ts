import { uuidv7 } from '@shop/contracts';
import type { SqlExecutor } from '@shop/persistence';
import { initialEmailDelivery } from '../domain/channel-decisions';
import type { NotificationText } from '../domain/notification';

export interface NewNotification {
  customerId: string;
  orderId: string;
  text: NotificationText;
  /** The event that caused it (its envelope id). */
  sourceEventId: string;
}

/**
 * Writes a notification and its channel deliveries, inside the caller's
 * (inbox) transaction. Once per (order, kind): a second event for the same
 * outcome (a redelivery under another id, a replay) inserts nothing, so
 * neither channel can be delivered twice even past the inbox.
 */
export class NotificationRecorder {
  constructor(private readonly options: { smtpConfigured: boolean; now: () => Date }) {}

  /** The new notification's id, or undefined when the order already has one of this kind. */
  async record(tx: SqlExecutor, notification: NewNotification): Promise<string | undefined> {
    const now = this.options.now();
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO notifications (id, customer_id, kind, order_id, title, body, source_event_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        uuidv7(now.getTime()),
        notification.customerId,
        notification.text.kind,
        notification.orderId,
        notification.text.title,
        notification.text.body,
        notification.sourceEventId,
        now,
      ],
    );
    if (!created) return undefined;
    const email = initialEmailDelivery(this.options.smtpConfigured, now);
    await tx.query(
      `INSERT INTO notification_deliveries (notification_id, channel, status, reason, next_attempt_at, updated_at)
       VALUES ($1, 'in_app', 'delivered', NULL, NULL, $2),
              ($1, 'email', $3, $4, $5, $2)`,
      [
        created.id,
        now,
        email.status,
        email.status === 'skipped' ? email.reason : null,
        email.status === 'pending' ? email.nextAttemptAt : null,
      ],
    );
    return created.id;
  }
}
