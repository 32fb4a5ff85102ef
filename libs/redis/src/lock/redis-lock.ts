import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { withJitter } from '../jitter';
import { LuaScript } from '../lua/lua-script';
import { compareAndDelete, compareAndPexpire } from '../lua/owned-key-scripts';
import { sleep } from '../timing';
import { LeaseKeeper } from './lease-keeper';
import { LockAcquireTimeoutError, leaseValidUntil, type Lease } from './lease';
import { lockKeys } from './lock-keys';

/**
 * SET NX PX and the fencing counter's INCR in one script: a token is issued
 * exactly when the lock is granted, so tokens increase in grant order.
 * KEYS[1] lock, KEYS[2] fencing counter; ARGV[1] owner token, ARGV[2] TTL ms.
 * Returns the fencing token, or 0 if the lock is held by someone else.
 */
const acquireWithFencingToken = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0
`);

export interface RedisLockOptions {
  /** Key namespace (default 'lock'): lock `x` is `lock:{x}`, its fencing counter `lock:{x}:fence`. */
  namespace?: string;
}

export interface AcquireOptions {
  /** Give up (LockAcquireTimeoutError) after this long. Default 10 s. */
  timeoutMs?: number;
  /** Pause between attempts, jittered by ±retryJitter. Default 50 ms ±50%. */
  retryDelayMs?: number;
  retryJitter?: number;
}

export interface WithLockOptions extends AcquireOptions {
  /** Extend the lease every ttl/3 while fn runs (default false). */
  autoExtend?: boolean;
}

/**
 * A single-Redis lock with owner tokens and fencing tokens. The counter key
 * never expires: it must outlive every lease to keep tokens increasing.
 */
export class RedisLock {
  private readonly namespace: string;

  constructor(
    private readonly client: Redis,
    options: RedisLockOptions = {},
  ) {
    this.namespace = options.namespace ?? 'lock';
  }

  /** One attempt: the lease, or null if someone else holds the lock. */
  async tryAcquire(name: string, ttlMs: number): Promise<Lease | null> {
    const keys = lockKeys(this.namespace, name);
    const token = randomBytes(16).toString('hex');
    const sentAt = Date.now();
    const fencingToken = Number(
      await acquireWithFencingToken.run(this.client, [keys.lock, keys.fence], [token, Math.ceil(ttlMs)]),
    );
    if (fencingToken === 0) return null;
    return { name, token, fencingToken, ttlMs, validUntil: leaseValidUntil(sentAt, ttlMs) };
  }

  /** Retries tryAcquire until it succeeds or `timeoutMs` passes. */
  async acquire(name: string, ttlMs: number, options: AcquireOptions = {}): Promise<Lease> {
    const { timeoutMs = 10_000, retryDelayMs = 50, retryJitter = 0.5 } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lease = await this.tryAcquire(name, ttlMs);
      if (lease) return lease;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new LockAcquireTimeoutError(name, timeoutMs);
      await sleep(Math.min(remaining, withJitter(retryDelayMs, retryJitter)));
    }
  }

  /** Releases the lock if `lease` still owns it. False: it had expired (and may be someone else's). */
  async release(lease: Lease): Promise<boolean> {
    const { lock } = lockKeys(this.namespace, lease.name);
    return (await compareAndDelete.run(this.client, [lock], [lease.token])) === 1;
  }

  /** Resets the lock's TTL if `lease` still owns it, and moves lease.validUntil. */
  async extend(lease: Lease, ttlMs: number = lease.ttlMs): Promise<boolean> {
    const { lock } = lockKeys(this.namespace, lease.name);
    const sentAt = Date.now();
    const extended =
      (await compareAndPexpire.run(this.client, [lock], [lease.token, Math.ceil(ttlMs)])) === 1;
    if (extended) lease.validUntil = leaseValidUntil(sentAt, ttlMs);
    return extended;
  }

  /**
   * Runs `fn` under the lock and releases it afterwards, also when fn throws.
   * `signal` aborts when the lease is lost (its TTL ran out, or with
   * autoExtend a renewal was refused): fn should stop, and any write it still
   * makes must carry lease.fencingToken so the resource can reject it. fn's
   * result is returned even if the lease was lost meanwhile (its work is done).
   */
  async withLock<T>(
    name: string,
    ttlMs: number,
    fn: (lease: Lease, signal: AbortSignal) => Promise<T>,
    options: WithLockOptions = {},
  ): Promise<T> {
    const lease = await this.acquire(name, ttlMs, options);
    const keeper = new LeaseKeeper(this, lease, {
      renewEveryMs: options.autoExtend ? undefined : false,
    }).start();
    try {
      return await fn(lease, keeper.signal);
    } finally {
      await keeper.stop();
      // A failed release is not the caller's problem: the lock expires with its TTL.
      await this.release(lease).catch(() => false);
    }
  }
}
