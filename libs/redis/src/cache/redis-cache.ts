import { randomBytes } from 'node:crypto';
import type { Redis, RedisStatus } from 'ioredis';
import { withJitter } from '../jitter';
import { LuaScript } from '../lua/lua-script';
import { compareAndDelete } from '../lua/owned-key-scripts';
import { sleep, withTimeout } from '../timing';
import { cacheEntryKeys, entryPrefixPattern, isValueKey, type CacheEntryKeys } from './cache-keys';
import { SingleFlight } from './single-flight';

/**
 * Stores a loaded value only if this process still holds the entry's fill
 * claim. Invalidation deletes the claim, so a load that started before the
 * data changed cannot write its now-stale value after the invalidation.
 * KEYS[1] value, KEYS[2] fill claim; ARGV[1] token, ARGV[2] JSON, ARGV[3] TTL ms.
 */
const storeIfClaimed = new LuaScript(`
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
`);

const UNAVAILABLE = Symbol('redis unavailable');

/**
 * Connection states in which a read skips Redis at once. While the client is
 * still connecting (at startup, or between reconnect attempts) a read tries,
 * bounded by redisTimeoutMs, so a fresh client serves from the cache at once.
 */
const KNOWN_DOWN: ReadonlySet<RedisStatus> = new Set(['reconnecting', 'close', 'end']);

export interface RedisCacheOptions {
  /** Default TTL of entries. */
  ttlMs: number;
  /** TTL jitter ratio: each entry lives ttlMs ±jitter (default 0.1 = ±10%). */
  jitter?: number;
  /** Key namespace (default 'cache'): entry `x` is stored at `cache:{x}`. */
  namespace?: string;
  /** Budget of each Redis call made by a read; past it the loader is used. Default 250 ms. */
  redisTimeoutMs?: number;
  /**
   * Cross-process single flight: the first process to miss claims the entry
   * for this long while it loads. A load slower than this is returned but not
   * cached. Default 5 s.
   */
  fillClaimTtlMs?: number;
  /** How long another process waits for the claimant's value before loading itself. Default 1 s. */
  fillWaitMs?: number;
  /** Poll interval while waiting. Default 20 ms. */
  fillPollMs?: number;
  /** Every Redis failure a read swallowed (it also counts in stats().errors). */
  onRedisError?: (error: unknown) => void;
}

export interface GetOrLoadOptions {
  ttlMs?: number;
  jitter?: number;
}

export interface CacheStats {
  /** Reads answered from Redis. */
  hits: number;
  /** Reads that found nothing in Redis. */
  misses: number;
  /** Loader calls. */
  loads: number;
  /** Calls that joined a read already in flight in this process. */
  coalesced: number;
  /**
   * Redis calls that failed, timed out or were skipped because the connection
   * was down, and entries that could not be (de)serialized.
   */
  errors: number;
}

type Found<T> = { found: true; value: T } | { found: false; claimable: boolean };

/**
 * Cache-aside over Redis with JSON values:
 * - getOrLoad returns the cached value or calls the loader, caches its result
 *   with a jittered TTL, and shares one loader call among concurrent misses
 *   in this process (SingleFlight) and across processes (a fill claim; the
 *   others poll for the value, bounded by fillWaitMs);
 * - reads never fail because of Redis: when it is down, slow or erroring,
 *   the loader answers (slower, still correct);
 * - invalidate / invalidateMany / invalidateByPrefix are for event handlers.
 *   They do throw when Redis fails, so the handler retries the event rather
 *   than leave a stale entry behind.
 * `undefined` results are returned but not cached; `null` is cached.
 */
export class RedisCache {
  private readonly namespace: string;
  private readonly jitter: number;
  private readonly redisTimeoutMs: number;
  private readonly fillClaimTtlMs: number;
  private readonly fillWaitMs: number;
  private readonly fillPollMs: number;
  private readonly flights = new SingleFlight();
  private readonly counters: CacheStats = { hits: 0, misses: 0, loads: 0, coalesced: 0, errors: 0 };

  constructor(
    private readonly client: Redis,
    private readonly options: RedisCacheOptions,
  ) {
    this.namespace = options.namespace ?? 'cache';
    this.jitter = options.jitter ?? 0.1;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 250;
    this.fillClaimTtlMs = options.fillClaimTtlMs ?? 5_000;
    this.fillWaitMs = options.fillWaitMs ?? 1_000;
    this.fillPollMs = options.fillPollMs ?? 20;
  }

  getOrLoad<T>(key: string, loader: () => Promise<T>, options: GetOrLoadOptions = {}): Promise<T> {
    if (this.flights.has(key)) this.counters.coalesced++;
    return this.flights.run(key, () => this.readThrough(key, loader, options));
  }

  async invalidate(key: string): Promise<void> {
    const keys = cacheEntryKeys(this.namespace, key);
    await this.client.unlink(keys.value, keys.fill);
  }

  async invalidateMany(keys: Iterable<string>): Promise<void> {
    await Promise.all([...keys].map((key) => this.invalidate(key)));
  }

  /** Removes every entry whose key starts with `prefix` (SCAN, never KEYS). Returns how many. */
  async invalidateByPrefix(prefix: string): Promise<number> {
    const clientPrefix = this.client.options.keyPrefix ?? '';
    const pattern = entryPrefixPattern(clientPrefix, this.namespace, prefix);
    let removed = 0;
    let cursor = '0';
    do {
      const [next, found] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      // SCAN returns full key names, but UNLINK adds the client's keyPrefix again.
      const keys = found.map((k) => k.slice(clientPrefix.length));
      if (keys.length > 0) await this.client.unlink(...keys);
      removed += keys.filter(isValueKey).length;
      cursor = next;
    } while (cursor !== '0');
    return removed;
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  private async readThrough<T>(key: string, loader: () => Promise<T>, options: GetOrLoadOptions): Promise<T> {
    const keys = cacheEntryKeys(this.namespace, key);
    const cached = await this.redis((c) => c.get(keys.value), 'GET');
    if (cached === UNAVAILABLE) return this.load(loader);
    const parsed = this.parse<T>(cached);
    if (parsed.found) {
      this.counters.hits++;
      return parsed.value;
    }
    this.counters.misses++;
    const ttlMs = withJitter(options.ttlMs ?? this.options.ttlMs, options.jitter ?? this.jitter);
    return this.fill(keys, loader, ttlMs);
  }

  /** On a miss: load and store if we win the fill claim, else wait (bounded) for the winner's value. */
  private async fill<T>(keys: CacheEntryKeys, loader: () => Promise<T>, ttlMs: number): Promise<T> {
    const deadline = Date.now() + this.fillWaitMs;
    for (;;) {
      const token = randomBytes(16).toString('hex');
      const claim = await this.redis(
        (c) => c.set(keys.fill, token, 'PX', this.fillClaimTtlMs, 'NX'),
        'SET NX',
      );
      if (claim === UNAVAILABLE) return this.load(loader);
      if (claim === 'OK') return this.loadAndStore(keys, token, loader, ttlMs);
      const other = await this.awaitOtherFill<T>(keys, deadline);
      if (other.found) return other.value;
      if (!other.claimable) return this.load(loader);
    }
  }

  private async loadAndStore<T>(
    keys: CacheEntryKeys,
    token: string,
    loader: () => Promise<T>,
    ttlMs: number,
  ): Promise<T> {
    let json: string | undefined;
    try {
      const value = await this.load(loader);
      json = this.serialize(value);
      return value;
    } finally {
      await this.settleClaim(keys, token, json, ttlMs);
    }
  }

  /** Stores the loaded value if the claim is still ours, or just gives the claim up. */
  private async settleClaim(
    keys: CacheEntryKeys,
    token: string,
    json: string | undefined,
    ttlMs: number,
  ): Promise<void> {
    if (json === undefined) {
      await this.redis((c) => compareAndDelete.run(c, [keys.fill], [token]), 'release');
    } else {
      await this.redis((c) => storeIfClaimed.run(c, [keys.value, keys.fill], [token, json, ttlMs]), 'store');
    }
  }

  /** Polls for the value another process is loading until it appears, its claim ends, or `deadline`. */
  private async awaitOtherFill<T>(keys: CacheEntryKeys, deadline: number): Promise<Found<T>> {
    while (Date.now() < deadline) {
      await sleep(this.fillPollMs);
      const reply = await this.redis((c) => c.mget(keys.value, keys.fill), 'MGET');
      if (reply === UNAVAILABLE) return { found: false, claimable: false };
      const [value, claim] = reply;
      const parsed = this.parse<T>(value ?? null);
      if (parsed.found) return parsed;
      // The claimant failed, gave up or was invalidated: try to claim it ourselves.
      if (claim == null) return { found: false, claimable: true };
    }
    return { found: false, claimable: false };
  }

  private load<T>(loader: () => Promise<T>): Promise<T> {
    this.counters.loads++;
    return loader();
  }

  private parse<T>(json: string | null): Found<T> {
    if (json === null) return { found: false, claimable: true };
    try {
      return { found: true, value: JSON.parse(json) as T };
    } catch (err) {
      this.failed(err); // unreadable entry: treated as a miss and overwritten
      return { found: false, claimable: true };
    }
  }

  private serialize(value: unknown): string | undefined {
    try {
      return JSON.stringify(value);
    } catch (err) {
      this.failed(err);
      return undefined;
    }
  }

  /** Runs one Redis call of a read; any failure becomes UNAVAILABLE, never an exception. */
  private async redis<R>(op: (client: Redis) => Promise<R>, what: string): Promise<R | typeof UNAVAILABLE> {
    if (KNOWN_DOWN.has(this.client.status)) {
      this.failed(new Error(`Redis ${what} skipped: connection is ${this.client.status}`));
      return UNAVAILABLE;
    }
    try {
      return await withTimeout(op(this.client), this.redisTimeoutMs, `Redis ${what}`);
    } catch (err) {
      this.failed(err);
      return UNAVAILABLE;
    }
  }

  private failed(error: unknown): void {
    this.counters.errors++;
    this.options.onRedisError?.(error);
  }
}
