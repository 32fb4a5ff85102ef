import { bulkheadMetrics } from './metrics';
import { assertPositiveMs } from './timeout';

export type BulkheadRejection = 'full' | 'queue-timeout';

/**
 * The bulkhead turned the operation away: it never ran. Carries what an HTTP
 * edge needs to answer `503 Service Unavailable` with a `Retry-After` header.
 */
export class BulkheadRejectedError extends Error {
  override readonly name = 'BulkheadRejectedError';
  readonly code = 'EBULKHEAD';
  readonly statusCode = 503;

  constructor(
    readonly bulkhead: string,
    readonly reason: BulkheadRejection,
    readonly retryAfterSeconds: number,
    readonly limits: { maxConcurrent: number; maxQueue: number },
  ) {
    super(
      reason === 'full'
        ? `Bulkhead "${bulkhead}" is full (${limits.maxConcurrent} running, ${limits.maxQueue} queued)`
        : `Waited too long for a slot in bulkhead "${bulkhead}"`,
    );
  }
}

export interface BulkheadOptions {
  /** Operations allowed to run at once. */
  maxConcurrent: number;
  /** Operations allowed to wait for a slot; beyond that, immediate rejection. 0 = no queue. */
  maxQueue: number;
  /** Longest wait in the queue before rejection. Default: no limit. */
  queueTimeoutMs?: number;
  /** Hint for the Retry-After header of the rejection. Default 1. */
  retryAfterSeconds?: number;
}

export interface BulkheadSnapshot {
  name: string;
  active: number;
  queued: number;
  maxConcurrent: number;
  maxQueue: number;
}

export interface RunOptions {
  /** Gives up waiting in the queue (rejects with the signal's reason) when aborted. */
  signal?: AbortSignal;
}

interface Waiter {
  grant(): void;
}

function assertCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

/**
 * Bounded concurrency plus a bounded FIFO queue for one dependency, so a slow
 * dependency can hold at most `maxConcurrent` sockets/connections and
 * `maxQueue` waiting requests, never the whole process.
 */
export class Bulkhead {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly metrics = bulkheadMetrics();

  constructor(
    readonly name: string,
    private readonly options: BulkheadOptions,
  ) {
    assertCount('maxConcurrent', options.maxConcurrent, 1);
    assertCount('maxQueue', options.maxQueue, 0);
    if (options.queueTimeoutMs !== undefined) assertPositiveMs('queueTimeoutMs', options.queueTimeoutMs);
    this.publish();
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  snapshot(): BulkheadSnapshot {
    const { maxConcurrent, maxQueue } = this.options;
    return { name: this.name, active: this.active, queued: this.queued, maxConcurrent, maxQueue };
  }

  /** Runs `operation` in a slot, after waiting in the queue if needed; rejects at once when both are full. */
  async run<T>(operation: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    await this.acquire(options.signal);
    try {
      return await operation();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.running < this.options.maxConcurrent) {
      this.running += 1;
      this.publish();
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxQueue) return Promise.reject(this.rejection('full'));
    return this.enqueue(signal);
  }

  private enqueue(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const leave = (error: unknown) => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        cleanUp();
        this.publish();
        reject(error);
      };
      const onAbort = () => leave(signal?.reason);
      const timeoutMs = this.options.queueTimeoutMs;
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => leave(this.rejection('queue-timeout')), timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanUp();
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.publish();
    });
  }

  private release(): void {
    // The slot goes straight to the next waiter, so nobody can overtake it in between.
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.running -= 1;
    this.publish();
  }

  private rejection(reason: BulkheadRejection): BulkheadRejectedError {
    this.metrics.rejections.inc({ bulkhead: this.name, reason });
    const { maxConcurrent, maxQueue, retryAfterSeconds = 1 } = this.options;
    return new BulkheadRejectedError(this.name, reason, retryAfterSeconds, { maxConcurrent, maxQueue });
  }

  private publish(): void {
    this.metrics.active.set({ bulkhead: this.name }, this.running);
    this.metrics.queued.set({ bulkhead: this.name }, this.waiting.length);
  }
}
