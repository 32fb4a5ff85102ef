import type Redis from 'ioredis';

export interface RateLimitOptions {
  windowMs: number;
  /** Requests per window per client address; 0 = no limit. */
  perAddress: number;
  /** Requests per window per signed-in user; 0 = no limit. */
  perUser: number;
  /** Longest wait for Redis before letting the request through. Default 200 ms. */
  redisTimeoutMs?: number;
  onRedisError?: (error: Error) => void;
}

export type RateLimitVerdict =
  | { readonly limited: false }
  | {
      readonly limited: true;
      readonly scope: 'address' | 'user';
      readonly limit: number;
      readonly retryAfterSeconds: number;
    };

/**
 * Fixed-window request counters in Redis, per client address and per user,
 * shared by every gateway instance: one MULTI per request with, for each
 * counter, INCR, PEXPIRE NX (the window starts with its first request and
 * the key expires with it) and PTTL (the Retry-After). Redis's clock decides
 * the windows, so gateway clocks never matter.
 *
 * Fails open: when Redis is down or slow, requests pass (a limiter must not
 * turn a Redis outage into a shop outage); `onRedisError` reports it.
 */
export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: RateLimitOptions,
  ) {}

  async check(caller: { address: string; userId?: string }): Promise<RateLimitVerdict> {
    const counters: { scope: 'address' | 'user'; key: string; limit: number }[] = [];
    if (this.options.perAddress > 0)
      counters.push({
        scope: 'address',
        key: `ratelimit:addr:${caller.address}`,
        limit: this.options.perAddress,
      });
    if (this.options.perUser > 0 && caller.userId)
      counters.push({ scope: 'user', key: `ratelimit:user:${caller.userId}`, limit: this.options.perUser });
    if (counters.length === 0 || this.redis.status !== 'ready') return { limited: false };

    const tx = this.redis.multi();
    for (const { key } of counters) tx.incr(key).pexpire(key, this.options.windowMs, 'NX').pttl(key);
    let results: [Error | null, unknown][] | null;
    try {
      results = await withTimeout(tx.exec(), this.options.redisTimeoutMs ?? 200);
    } catch (err) {
      this.options.onRedisError?.(err as Error);
      return { limited: false };
    }
    for (let i = 0; i < counters.length; i++) {
      const counter = counters[i]!;
      const count = Number(results?.[i * 3]?.[1]);
      const ttlMs = Number(results?.[i * 3 + 2]?.[1]);
      if (count > counter.limit) {
        return {
          limited: true,
          scope: counter.scope,
          limit: counter.limit,
          retryAfterSeconds: Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : this.options.windowMs) / 1000)),
        };
      }
    }
    return { limited: false };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
