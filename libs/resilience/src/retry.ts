import { DEFAULT_BACKOFF, fullJitterDelay, type BackoffOptions } from './backoff';
import { BulkheadRejectedError } from './bulkhead';
import { isBreakerRejection } from './breaker-errors';
import { isClientError } from './client-error';
import { type RetryBudget } from './retry-budget';

export interface RetryEvent {
  /** The attempt that just failed (1 for the first call). */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface RetryOptions extends Partial<BackoffOptions> {
  /**
   * Required, no default: only an operation that is safe to run twice (GET,
   * PUT of a whole resource, a command carrying an idempotency key the
   * receiver deduplicates) may be retried. With `false` the operation runs
   * exactly once whatever `maxAttempts` says, so generic code can pass
   * `idempotent: isSafeMethod(method)`.
   */
  idempotent: boolean;
  /** Total attempts including the first. Default 3. */
  maxAttempts?: number;
  /**
   * Which failures are worth another attempt. Default: everything except
   * client errors (4xx), bulkhead rejections and open-breaker rejections.
   */
  retryOn?: (error: unknown) => boolean;
  /** Shared cap on retries; when it is spent the last error is thrown. */
  budget?: RetryBudget;
  /** Stops retrying (and the backoff sleep) when aborted. */
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
  /** Injectable for deterministic tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const defaultRetryOn = (error: unknown): boolean =>
  !isClientError(error) && !(error instanceof BulkheadRejectedError) && !isBreakerRejection(error);

/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function attemptLimit(options: RetryOptions): number {
  if (typeof options.idempotent !== 'boolean') {
    throw new TypeError(
      'retry() needs an explicit `idempotent: true | false`: only idempotent operations are retried',
    );
  }
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  return options.idempotent ? maxAttempts : 1;
}

/**
 * Runs `operation` and retries it on retryable failures with exponential
 * backoff and full jitter, within `maxAttempts` and the optional budget.
 * The error thrown is always the last one the operation threw, untouched.
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const limit = attemptLimit(options);
  const {
    retryOn = defaultRetryOn,
    budget,
    signal,
    onRetry,
    random = Math.random,
    sleep = abortableSleep,
  } = options;
  const backoff: BackoffOptions = {
    baseDelayMs: options.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
  };

  budget?.recordRequest();
  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      const giveUp =
        attempt >= limit || signal?.aborted || !retryOn(error) || (budget && !budget.tryAcquireRetry());
      if (giveUp) throw error;
      const delayMs = fullJitterDelay(attempt - 1, backoff, random);
      onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}
