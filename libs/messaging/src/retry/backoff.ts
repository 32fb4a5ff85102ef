/**
 * Exponential backoff: `initialDelayMs * multiplier^(attempt-1)`, capped at
 * `maxDelayMs`, with "equal jitter" (a random point in the upper half), so
 * retries of many consumers spread out but never come back too early.
 */
export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: boolean;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  multiplier: 2,
  jitter: true,
};

/** Delay before retry number `attempt` (1 = the first retry). */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(policy.jitter ? capped / 2 + (random() * capped) / 2 : capped);
}

/** A sleep that ends early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
