import type { SqlClient } from '@shop/persistence';
import { sleep } from '@shop/messaging';
import { counter, gauge, type Logger } from '@shop/telemetry';
import { emailDispatch } from '../domain/channel-decisions';
import { notificationEmail } from '../domain/email-message';
import { afterSendFailure, type EmailRetryPolicy } from '../domain/email-retry';
import {
  claimDueEmail,
  countOpenAndFailedEmails,
  markFailed,
  markRetry,
  markSent,
  markSkipped,
} from './email-delivery.store';
import type { Mailer } from './mailer';

export interface EmailDeliveryWorkerOptions {
  sql: SqlClient;
  mailer: Mailer;
  from: string;
  retry: EmailRetryPolicy;
  contactGraceMs: number;
  pollIntervalMs: number;
  /** Emails sent in parallel (each a transaction holding one row lock while it sends). */
  concurrency: number;
  logger: Logger;
  now?: () => Date;
}

type Outcome = 'sent' | 'retry' | 'failed' | 'skipped';

/**
 * Sends pending emails after the notifications were committed. Each slot
 * loops: one transaction claims one due row (SKIP LOCKED), sends it with its
 * deterministic Message-ID, records the outcome (sent / retry at a later time
 * / failed / skipped) and commits. Any number of slots and instances can run
 * against one database; none sends a row another holds.
 *
 * The one duplicate left: the SMTP server accepted an email and the process
 * (or the database connection) died before the commit. The row is still
 * pending, so it is sent again, with the same Message-ID: downstream
 * deduplication can recognise it, the customer may still see it twice. An
 * SMTP exchange cannot join a database transaction; no design closes this
 * window, only narrows it.
 */
export class EmailDeliveryWorker {
  private readonly now: () => Date;
  private readonly stopping = new AbortController();
  private slots: Promise<void>[] = [];
  private withdrawBacklog: (() => void) | undefined;
  private readonly outcomes = counter<'outcome'>(
    'shop_notification_email_attempts_total',
    'Email delivery attempts by outcome (sent, retry, failed, skipped)',
    ['outcome'],
  );

  constructor(private readonly options: EmailDeliveryWorkerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    this.withdrawBacklog = exposeEmailBacklog(this.options.sql);
    this.slots = Array.from({ length: this.options.concurrency }, () => this.runSlot());
  }

  /** Lets sends in progress finish and commit, then resolves. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.slots);
    this.withdrawBacklog?.();
  }

  /** Delivers one due email if there is one; false when none was due. */
  async deliverNext(): Promise<boolean> {
    return this.options.sql.transaction(async (tx) => {
      const due = await claimDueEmail(tx, this.now(), this.options.contactGraceMs);
      if (!due) return false;
      const dispatch = emailDispatch({
        contact: due.contact,
        notificationCreatedAt: due.notificationCreatedAt,
        now: this.now(),
        contactGraceMs: this.options.contactGraceMs,
      });
      if (dispatch.action === 'wait') return false; // the claim query already excludes these
      if (dispatch.action === 'skip') {
        await markSkipped(tx, {
          notificationId: due.notificationId,
          reason: dispatch.reason,
          at: this.now(),
        });
        this.record('skipped', due.notificationId, { reason: dispatch.reason });
        return true;
      }
      const email = notificationEmail({
        notificationId: due.notificationId,
        text: due,
        to: dispatch.to,
        from: this.options.from,
      });
      const sent = await this.options.mailer.send(email);
      const attempt = due.attempts + 1;
      const row = { notificationId: due.notificationId, messageId: email.messageId, recipient: email.to };
      if (sent.ok) {
        await markSent(tx, { ...row, at: this.now() });
        this.record('sent', due.notificationId, { attempt });
        return true;
      }
      const next = afterSendFailure(attempt, sent.failure, this.now(), this.options.retry);
      if (next.status === 'pending') {
        await markRetry(tx, {
          ...row,
          nextAttemptAt: next.nextAttemptAt,
          lastError: next.lastError,
          at: this.now(),
        });
        this.record('retry', due.notificationId, {
          attempt,
          error: next.lastError,
          nextAttemptAt: next.nextAttemptAt,
        });
      } else {
        await markFailed(tx, { ...row, reason: next.reason, lastError: next.lastError, at: this.now() });
        this.record('failed', due.notificationId, { attempt, reason: next.reason, error: next.lastError });
      }
      return true;
    });
  }

  private async runSlot(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const worked = await this.deliverNext().catch((err: unknown) => {
        this.options.logger.warn({ err }, 'email delivery round failed; retrying after the poll interval');
        return false;
      });
      if (!worked) await sleep(this.options.pollIntervalMs, signal);
    }
  }

  private record(outcome: Outcome, notificationId: string, fields: Record<string, unknown>): void {
    this.outcomes.inc({ outcome });
    const line = { notificationId, channel: 'email', outcome, ...fields };
    if (outcome === 'failed') this.options.logger.error(line, 'email delivery failed for good');
    else if (outcome === 'retry') this.options.logger.warn(line, 'email delivery failed; will retry');
    else this.options.logger.info(line, `email ${outcome}`);
  }
}

/** The databases whose email backlog the gauges report (one per worker in this process; tests run several). */
const backlogSources = new Set<SqlClient>();

/** Gauges read at scrape time: emails waiting to be sent, and emails given up (alert when it grows). */
function exposeEmailBacklog(sql: SqlClient): () => void {
  backlogSources.add(sql);
  gauge<'status'>(
    'shop_notification_email_deliveries',
    'Email deliveries that are pending or failed',
    ['status'],
    async function () {
      const [source] = backlogSources;
      const counts = source && (await countOpenAndFailedEmails(source).catch(() => undefined));
      if (!counts) return; // database down: keep the last values
      this.set({ status: 'pending' }, counts.pending);
      this.set({ status: 'failed' }, counts.failed);
    },
  );
  return () => backlogSources.delete(sql);
}
