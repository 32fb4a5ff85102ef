import type { SqlExecutor } from '@shop/persistence';
import type { ContactCard } from '../domain/channel-decisions';
import type { EmailFailureReason, EmailSkipReason } from '../domain/notification';

/** A pending email the worker holds the row lock of, with what it needs to send it. */
export interface DueEmail {
  notificationId: string;
  attempts: number;
  title: string;
  body: string;
  notificationCreatedAt: Date;
  contact: ContactCard | null;
}

/**
 * Claims ONE due email row: `FOR UPDATE ... SKIP LOCKED`, so concurrent
 * workers (other slots, other instances) each get a different row and never
 * wait on each other. The lock lasts until the caller's transaction ends,
 * which is after the send and the status update: a second worker cannot send
 * the same row meanwhile, and after the commit the row is no longer pending
 * (Postgres re-checks the WHERE clause on the locked row's latest version).
 * Rows whose contact is unknown are only claimed once their grace period is
 * over (to be skipped): the rule of `emailDispatch`, in SQL so that waiting
 * rows cost nothing.
 */
export async function claimDueEmail(
  tx: SqlExecutor,
  now: Date,
  contactGraceMs: number,
): Promise<DueEmail | undefined> {
  const [row] = await tx.query<{
    notification_id: string;
    attempts: number;
    title: string;
    body: string;
    created_at: Date;
    email: string | null;
    name: string | null;
  }>(
    `SELECT d.notification_id, d.attempts, n.title, n.body, n.created_at, c.email, c.name
       FROM notification_deliveries d
       JOIN notifications n ON n.id = d.notification_id
       LEFT JOIN contacts c ON c.user_id = n.customer_id
      WHERE d.channel = 'email' AND d.status = 'pending' AND d.next_attempt_at <= $1
        AND (c.user_id IS NOT NULL OR n.created_at <= $1::timestamptz - make_interval(secs => $2::float8 / 1000))
      ORDER BY d.next_attempt_at
      LIMIT 1
      FOR UPDATE OF d SKIP LOCKED`,
    [now, contactGraceMs],
  );
  if (!row) return undefined;
  return {
    notificationId: row.notification_id,
    attempts: row.attempts,
    title: row.title,
    body: row.body,
    notificationCreatedAt: row.created_at,
    contact: row.email !== null && row.name !== null ? { email: row.email, name: row.name } : null,
  };
}

const EMAIL_ROW = `WHERE notification_id = $1 AND channel = 'email'`;

export async function markSent(
  tx: SqlExecutor,
  sent: { notificationId: string; messageId: string; recipient: string; at: Date },
): Promise<void> {
  await tx.query(
    `UPDATE notification_deliveries
        SET status = 'sent', attempts = attempts + 1, sent_at = $2, message_id = $3, recipient = $4,
            next_attempt_at = NULL, updated_at = $2
      ${EMAIL_ROW}`,
    [sent.notificationId, sent.at, sent.messageId, sent.recipient],
  );
}

/** A failed attempt that will be retried at `nextAttemptAt`. */
export async function markRetry(
  tx: SqlExecutor,
  retry: {
    notificationId: string;
    messageId: string;
    recipient: string;
    nextAttemptAt: Date;
    lastError: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `UPDATE notification_deliveries
        SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3, message_id = $4, recipient = $5,
            updated_at = $6
      ${EMAIL_ROW}`,
    [retry.notificationId, retry.nextAttemptAt, retry.lastError, retry.messageId, retry.recipient, retry.at],
  );
}

/** A failed attempt after which the email is given up. */
export async function markFailed(
  tx: SqlExecutor,
  failed: {
    notificationId: string;
    messageId: string;
    recipient: string;
    reason: EmailFailureReason;
    lastError: string;
    at: Date;
  },
): Promise<void> {
  await tx.query(
    `UPDATE notification_deliveries
        SET status = 'failed', reason = $2, attempts = attempts + 1, next_attempt_at = NULL, last_error = $3,
            message_id = $4, recipient = $5, updated_at = $6
      ${EMAIL_ROW}`,
    [failed.notificationId, failed.reason, failed.lastError, failed.messageId, failed.recipient, failed.at],
  );
}

export async function markSkipped(
  tx: SqlExecutor,
  skipped: { notificationId: string; reason: EmailSkipReason; at: Date },
): Promise<void> {
  await tx.query(
    `UPDATE notification_deliveries
        SET status = 'skipped', reason = $2, next_attempt_at = NULL, updated_at = $3
      ${EMAIL_ROW}`,
    [skipped.notificationId, skipped.reason, skipped.at],
  );
}

/** Pending and failed emails (failed ones are the alert), for the metrics; the status index answers it. */
export async function countOpenAndFailedEmails(
  sql: SqlExecutor,
): Promise<{ pending: number; failed: number }> {
  const rows = await sql.query<{ status: 'pending' | 'failed'; n: number }>(
    `SELECT status, count(*)::int AS n FROM notification_deliveries
      WHERE status IN ('pending', 'failed') AND channel = 'email' GROUP BY status`,
  );
  const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { pending: count('pending'), failed: count('failed') };
}
