/** A held lock, as returned by RedisLock.tryAcquire / acquire. */
export interface Lease {
  /** The lock name given to acquire (not the Redis key). */
  readonly name: string;
  /** Random owner token: only a lease with this token can release or extend the lock. */
  readonly token: string;
  /**
   * Strictly increasing across all holders of this lock name. Hand it to the
   * protected resource, which rejects writes carrying a lower token than one
   * it has seen (see RedisFence and acceptsFencingToken).
   */
  readonly fencingToken: number;
  /** TTL the lease was taken (and is extended) with. */
  readonly ttlMs: number;
  /**
   * Local time (epoch ms) until which this process may assume it holds the
   * lock. Conservative: measured from before the command was sent, minus a
   * clock drift margin. extend() moves it forward.
   */
  validUntil: number;
}

/**
 * Until when a lease taken or extended by a command sent at `sentAt` is
 * certainly still held: Redis started its TTL no earlier than `sentAt`, and
 * a margin (1% of the TTL + 2 ms, as in Redlock) covers clock rate drift.
 */
export function leaseValidUntil(sentAt: number, ttlMs: number): number {
  return sentAt + ttlMs - (Math.ceil(ttlMs * 0.01) + 2);
}

export class LockAcquireTimeoutError extends Error {
  constructor(name: string, timeoutMs: number) {
    super(`lock '${name}' could not be acquired within ${timeoutMs} ms`);
    this.name = 'LockAcquireTimeoutError';
  }
}

/** Why a lease ended while its holder still wanted it. */
export class LockLostError extends Error {
  constructor(name: string, why: string) {
    super(`lock '${name}' lost: ${why}`);
    this.name = 'LockLostError';
  }
}
