/** What a notification is about; one per order and kind. */
export const NOTIFICATION_KINDS = ['order_confirmed', 'order_cancelled', 'payment_refunded'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** in_app: stored and listed (delivered when created). email: sent over SMTP by the delivery worker. */
export const CHANNELS = ['in_app', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * in_app is 'delivered' from the start. email: 'pending' until the worker
 * sends it ('sent'), gives up ('failed') or decides it cannot be sent
 * ('skipped'); each of those three is final.
 */
export const DELIVERY_STATUSES = ['delivered', 'pending', 'sent', 'skipped', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Why an email was skipped or failed; stored in the delivery row and shown to the customer's client. */
export const EMAIL_SKIP_REASONS = ['smtp_not_configured', 'contact_unknown'] as const;
export type EmailSkipReason = (typeof EMAIL_SKIP_REASONS)[number];
export const EMAIL_FAILURE_REASONS = ['smtp_rejected', 'retries_exhausted'] as const;
export type EmailFailureReason = (typeof EMAIL_FAILURE_REASONS)[number];

/** The text of a notification, the same on every channel. */
export interface NotificationText {
  kind: NotificationKind;
  title: string;
  body: string;
}
