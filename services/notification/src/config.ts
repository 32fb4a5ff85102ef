import { SERVICE_ENV_SCHEMAS } from '@shop/service-kit';
import { z } from 'zod';

const ms = (min: number) => z.coerce.number().int().min(min);

/** The notification service's environment: the platform's common variables plus these. */
export const notificationEnv = SERVICE_ENV_SCHEMAS.notification
  .extend({
    /** The consumer group reading order.events and user.events. */
    NOTIFICATION_GROUP: z.string().min(1).default('notification'),
    /** SMTP server for the email channel (`smtp://user:pass@host:587`, `smtps://...`); unset: emails are skipped. */
    SMTP_URL: z
      .url()
      .refine((url) => /^smtps?:\/\//.test(url), 'must be an smtp:// or smtps:// URL')
      .optional(),
    /** Sender of notification emails; its domain is also the domain of their Message-IDs. */
    SMTP_FROM: z
      .string()
      .regex(
        /^([^<>]*<[^<>@\s]+@[A-Za-z0-9.-]+>|[^<>@\s]+@[A-Za-z0-9.-]+)$/,
        'must be an address or Name <address>',
      )
      .default('Shop <no-reply@shop.local>'),
    /** Longest one SMTP send may take (connect, greet, transfer) before it counts as a transient failure. */
    EMAIL_SEND_TIMEOUT_MS: ms(100).default(15_000),
    /** How often an idle delivery worker looks for due emails. */
    EMAIL_POLL_INTERVAL_MS: ms(10).default(500),
    /** Emails sent in parallel by one instance (each holds one database connection while sending). */
    EMAIL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
    /** Sending attempts per email, the first included; then the delivery is marked failed. */
    EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** Delay before the first retry; doubles per retry up to EMAIL_RETRY_MAX_DELAY_MS. */
    EMAIL_RETRY_INITIAL_DELAY_MS: ms(1).default(5_000),
    EMAIL_RETRY_MAX_DELAY_MS: ms(1).default(600_000),
    /** How long an email waits for its customer's contact (UserRegistered) before it is skipped. */
    EMAIL_CONTACT_GRACE_MS: ms(0).default(3_600_000),
  })
  .refine((c) => c.EMAIL_RETRY_INITIAL_DELAY_MS <= c.EMAIL_RETRY_MAX_DELAY_MS, {
    path: ['EMAIL_RETRY_INITIAL_DELAY_MS'],
    message: 'must not exceed EMAIL_RETRY_MAX_DELAY_MS',
  });

export type NotificationConfig = z.output<typeof notificationEnv>;
