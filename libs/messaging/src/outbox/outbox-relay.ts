import type { SqlClient } from '@shop/persistence';
import { defaultLogger, errorMessage, type MessagingLogger } from '../logger';
import { messagingMetrics, type MessagingMetrics } from '../metrics';
import type { OutgoingRecord, RecordProducer } from '../ports';
import { backoffDelay, sleep, type BackoffPolicy } from '../retry/backoff';
import { sendTraced } from '../wire/records';
import { exposeOutboxBacklog } from './outbox-backlog-metrics';
import {
  claimOutboxRows,
  deletePublishedOutboxRows,
  markOutboxRowsPublished,
  readOutboxBacklog,
  recordOutboxPublishFailure,
  type ClaimedOutboxRow,
  type OutboxBacklog,
} from './outbox-queries';

/** A Postgres connection that can LISTEN (a dedicated pg.Client fits). */
export interface NotificationClient {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  removeListener(event: 'notification', listener: (message: { channel: string }) => void): unknown;
}

export interface OutboxRelayOptions {
  sql: SqlClient;
  producer: RecordProducer;
  /** Label of the outbox metrics, e.g. the service name. Default 'outbox'. */
  name?: string;
  /** Rows claimed and published per transaction. Default 200. */
  batchSize?: number;
  /** Pause after a round that found less than a full batch. Default 250 ms. */
  pollIntervalMs?: number;
  /** Pauses after failed rounds (Kafka or Postgres down). Default 500 ms doubling to 10 s. */
  backoff?: Partial<BackoffPolicy>;
  /** Wake up on NOTIFY (see OutboxWriterOptions.notifyChannel) instead of waiting for the next poll. */
  listen?: { client: NotificationClient; channel: string };
  /** Published rows are deleted after this long. Default 24 h; 0 deletes them at the next idle moment. */
  retentionMs?: number;
  logger?: MessagingLogger;
  /**
   * Chaos switch: publish every message twice (the copy right after the
   * original, same envelope id). Consumers must apply each once anyway; the
   * saga suites run whole orders with it on.
   */
  duplicateEveryMessage?: boolean;
  hooks?: {
    /**
     * Runs after Kafka acknowledged a batch and before the rows are marked
     * published. Throwing (or dying) here leaves them unpublished: they are
     * published again. For instrumentation and crash tests.
     */
    afterPublish?(rows: readonly ClaimedOutboxRow[]): void | Promise<void>;
  };
}

export class OutboxPublishError extends Error {
  constructor(count: number, cause: unknown) {
    super(`Publishing ${count} outbox messages failed: ${errorMessage(cause)}`, { cause });
    this.name = 'OutboxPublishError';
  }
}

const PURGE_INTERVAL_MS = 60_000;

/**
 * Publishes the outbox to Kafka, at least once and in order per key, with
 * any number of instances running. Each round is one Postgres transaction:
 * claim a batch (key locks, see claimOutboxRows), publish it (acks = all),
 * mark it published, commit. If Kafka fails the rows stay unpublished (the
 * failure is recorded on them) and the relay backs off; if the relay dies
 * anywhere in the round, Postgres rolls back and releases the locks, and the
 * rows are published again by whichever relay comes next.
 *
 * Published rows are marked, not deleted, and kept `retentionMs` for
 * inspection ("when did this event leave, after how many attempts?"), then
 * deleted in the background.
 */
export class OutboxRelay {
  private readonly name: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly retentionMs: number;
  private readonly logger: MessagingLogger;
  private readonly metrics: MessagingMetrics;
  private loop: Promise<void> | undefined;
  private stopping = new AbortController();
  private wakeUp: (() => void) | undefined;
  private wokenWhileBusy = false;
  private lastPurge = 0;
  private withdrawMetrics: (() => void) | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    this.name = options.name ?? 'outbox';
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.backoff = {
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      multiplier: 2,
      jitter: true,
      ...options.backoff,
    };
    this.retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.logger = options.logger ?? defaultLogger('OutboxRelay');
    this.metrics = messagingMetrics();
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Starts the publishing loop (and LISTEN, if configured). */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.withdrawMetrics = exposeOutboxBacklog(this.name, () => this.backlog());
    const listen = this.options.listen;
    if (listen) {
      listen.client.on('notification', this.onNotification);
      await listen.client.query(`LISTEN ${quoteIdentifier(listen.channel)}`);
    }
    this.loop = this.run();
  }

  /** Finishes the round in progress (publish and mark), then stops. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping.abort();
    this.wakeUp?.();
    await this.loop;
    this.loop = undefined;
    this.withdrawMetrics?.();
    const listen = this.options.listen;
    if (listen) {
      listen.client.removeListener('notification', this.onNotification);
      await listen.client.query(`UNLISTEN ${quoteIdentifier(listen.channel)}`).catch(() => undefined);
    }
  }

  /**
   * One round: claim, publish, mark. Returns how many messages were
   * published; throws OutboxPublishError (rows left unpublished) if Kafka
   * did not acknowledge them.
   */
  async publishPending(): Promise<number> {
    const result = await this.options.sql.transaction(async (tx) => {
      const rows = await claimOutboxRows(tx, this.batchSize);
      if (rows.length === 0) return { published: 0 };
      const sequences = rows.map((r) => r.sequence);
      try {
        const records = rows.map(toRecord);
        await sendTraced(
          this.options.producer,
          this.options.duplicateEveryMessage ? records.flatMap((record) => [record, record]) : records,
        );
      } catch (error) {
        await recordOutboxPublishFailure(tx, sequences, errorMessage(error));
        return { published: 0, failure: new OutboxPublishError(rows.length, error) };
      }
      await this.options.hooks?.afterPublish?.(rows);
      await markOutboxRowsPublished(tx, sequences);
      return { published: rows.length };
    });
    if (result.failure) {
      this.metrics.outboxPublishFailures.inc({ outbox: this.name });
      throw result.failure;
    }
    if (result.published) this.metrics.outboxPublished.inc({ outbox: this.name }, result.published);
    return result.published;
  }

  /** Unpublished rows and the age of the oldest (also exported as gauges while running). */
  backlog(): Promise<OutboxBacklog> {
    return readOutboxBacklog(this.options.sql);
  }

  /** Deletes rows published more than `olderThanMs` ago; returns how many. */
  purgePublished(olderThanMs: number = this.retentionMs): Promise<number> {
    return deletePublishedOutboxRows(this.options.sql, olderThanMs);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let published: number;
      try {
        published = await this.publishPending();
        failures = 0;
      } catch (error) {
        failures++;
        const delayMs = backoffDelay(failures, this.backoff);
        this.logger.warn('Outbox relay round failed, backing off', {
          outbox: this.name,
          failures,
          delayMs,
          error: errorMessage(error),
        });
        await this.idle(delayMs, false);
        continue;
      }
      if (published < this.batchSize) {
        await this.purgeIfDue();
        await this.idle(this.pollIntervalMs, true);
      }
    }
  }

  /** Waits `ms`, or less if stopping (or, when `wakeable`, on a notification). */
  private async idle(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.wokenWhileBusy) {
      this.wokenWhileBusy = false;
      return;
    }
    const interrupt = new AbortController();
    const onStop = () => interrupt.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    if (wakeable) this.wakeUp = () => interrupt.abort();
    try {
      await sleep(ms, interrupt.signal);
    } finally {
      this.wakeUp = undefined;
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  private readonly onNotification = (message: { channel: string }): void => {
    if (message.channel !== this.options.listen?.channel) return;
    if (this.wakeUp) this.wakeUp();
    else this.wokenWhileBusy = true;
  };

  private async purgeIfDue(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_INTERVAL_MS && this.retentionMs > 0) return;
    this.lastPurge = Date.now();
    try {
      await this.purgePublished();
    } catch (error) {
      this.logger.warn('Outbox purge failed', { outbox: this.name, error: errorMessage(error) });
    }
  }
}

function toRecord(row: ClaimedOutboxRow): OutgoingRecord {
  return { topic: row.topic, key: row.key, value: row.value, headers: row.headers };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
