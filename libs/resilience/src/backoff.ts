export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  baseDelayMs: number;
  /** No delay ever exceeds this. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 100, maxDelayMs: 5_000 };

/** Upper bound of the delay before retry number `retryIndex` (0 for the first retry): min(cap, base * 2^n). */
export function backoffCeiling(retryIndex: number, { baseDelayMs, maxDelayMs }: BackoffOptions): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
}

/**
 * "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniformly random delay in [0, ceiling). Spreading retries over the whole
 * interval is what stops clients that failed together from retrying together.
 * `random` must return a number in [0, 1), like Math.random.
 */
export function fullJitterDelay(
  retryIndex: number,
  backoff: BackoffOptions,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeiling(retryIndex, backoff));
}
