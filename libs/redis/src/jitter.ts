/** A source of uniform random numbers in [0, 1), injectable for tests. */
export type Random = () => number;

/**
 * `value` moved randomly by up to ±`ratio` of itself (ratio 0.1 gives
 * 90%..110%), rounded to whole milliseconds and never below 1. Spreading TTLs
 * and retry delays this way keeps keys written together from expiring
 * together, and contenders from retrying in lockstep.
 */
export function withJitter(value: number, ratio: number, random: Random = Math.random): number {
  if (!(value > 0)) throw new RangeError(`withJitter: value must be positive, got ${value}`);
  if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`withJitter: ratio must be in [0, 1), got ${ratio}`);
  return Math.max(1, Math.round(value * (1 + ratio * (2 * random() - 1))));
}

/**
 * Delay before retry number `attempt` (1, 2, ...): exponential from `baseMs`,
 * capped at `maxMs`, with "equal jitter" (half the step fixed, half random),
 * so retries spread out but never collapse to a tight zero-delay loop.
 */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs }: { baseMs: number; maxMs: number },
  random: Random = Math.random,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
