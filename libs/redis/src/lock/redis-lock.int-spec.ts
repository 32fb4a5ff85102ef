import type Redis from 'ioredis';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import { acceptsFencingToken } from './fencing';
import { LockAcquireTimeoutError, LockLostError, type Lease } from './lease';
import { RedisFence } from './redis-fence';
import { RedisLock } from './redis-lock';

describe('RedisLock', () => {
  let env: TestEnvironment;
  let client: Redis;
  let lock: RedisLock;

  beforeAll(async () => {
    env = await createTestEnvironment('redis-lock', { redis: true });
    client = env.redis.client();
    lock = new RedisLock(client);
  });
  afterAll(() => env.dispose());

  /** Read-modify-write with a pause in between: the pattern that loses updates when unguarded. */
  async function incrementSlowly(redis: Redis, key: string): Promise<void> {
    const current = Number((await redis.get(key)) ?? 0);
    await sleep(2);
    await redis.set(key, current + 1);
  }

  describe('mutual exclusion', () => {
    const workers = 10;
    const incrementsPerWorker = 5;
    // Half of the workers share one connection, the others have their own, like separate processes.
    const clientOf = (worker: number): Redis => (worker % 2 === 0 ? client : env.redis.client());

    it('loses updates without the lock (contrast)', async () => {
      await Promise.all(
        Array.from({ length: workers }, async (_, worker) => {
          const redis = clientOf(worker);
          for (let i = 0; i < incrementsPerWorker; i++) await incrementSlowly(redis, 'unguarded-counter');
        }),
      );
      expect(Number(await client.get('unguarded-counter'))).toBeLessThan(workers * incrementsPerWorker);
    });

    it('loses no update when every read-modify-write holds the lock', async () => {
      const fencingTokens: number[] = [];
      await Promise.all(
        Array.from({ length: workers }, async (_, worker) => {
          const redis = clientOf(worker);
          const workerLock = new RedisLock(redis);
          for (let i = 0; i < incrementsPerWorker; i++) {
            await workerLock.withLock(
              'counter',
              5_000,
              async (lease) => {
                fencingTokens.push(lease.fencingToken);
                await incrementSlowly(redis, 'guarded-counter');
              },
              { timeoutMs: 30_000, retryDelayMs: 5 },
            );
          }
        }),
      );
      expect(Number(await client.get('guarded-counter'))).toBe(workers * incrementsPerWorker);
      // Grants happened one after another, each with a higher fencing token.
      expect(fencingTokens).toEqual([...fencingTokens].sort((a, b) => a - b));
      expect(new Set(fencingTokens).size).toBe(fencingTokens.length);
    });
  });

  it('lets another process take the lock of a crashed holder once its TTL has passed', async () => {
    const crashed = await lock.tryAcquire('crash', 300); // never released
    expect(crashed).not.toBeNull();
    const other = new RedisLock(env.redis.client());
    expect(await other.tryAcquire('crash', 300)).toBeNull();

    const successor = await other.acquire('crash', 5_000, { timeoutMs: 10_000, retryDelayMs: 20 });
    expect(successor.fencingToken).toBeGreaterThan(crashed!.fencingToken);
    await other.release(successor);
  });

  it('gives up a blocking acquire after its timeout', async () => {
    const held = await lock.acquire('busy', 10_000);
    await expect(lock.acquire('busy', 1_000, { timeoutMs: 150, retryDelayMs: 20 })).rejects.toThrow(
      LockAcquireTimeoutError,
    );
    await lock.release(held);
  });

  it('ignores release and extend by anyone but the owner', async () => {
    const owner = await lock.acquire('owned', 10_000);
    const impostor: Lease = { ...owner, token: 'not-the-owner' };
    expect(await lock.release(impostor)).toBe(false);
    expect(await lock.extend(impostor, 60_000)).toBe(false);
    expect(await client.get('lock:{owned}')).toBe(owner.token);
    expect(await client.pttl('lock:{owned}')).toBeLessThanOrEqual(10_000);

    expect(await lock.extend(owner, 60_000)).toBe(true);
    expect(await client.pttl('lock:{owned}')).toBeGreaterThan(10_000);
    expect(await lock.release(owner)).toBe(true);
    expect(await client.exists('lock:{owned}')).toBe(0);
  });

  it('does not let an expired holder release or extend its successor’s lock', async () => {
    const stale = await lock.acquire('handover', 100);
    const successor = await lock.acquire('handover', 10_000, { timeoutMs: 5_000, retryDelayMs: 10 });
    expect(await lock.release(stale)).toBe(false);
    expect(await lock.extend(stale)).toBe(false);
    expect(await lock.tryAcquire('handover', 1_000)).toBeNull();
    expect(await lock.release(successor)).toBe(true);
  });

  it('rejects the late write of a paused ex-holder through its fencing token', async () => {
    const fence = new RedisFence(client);
    const holderA = await lock.acquire('account-7', 100);
    expect(await fence.fencedSet('account-7', holderA.fencingToken, { 'account-7:balance': '100' })).toBe(
      true,
    );

    // A pauses (GC, network) past its TTL; B is granted the lock and writes.
    const holderB = await new RedisLock(env.redis.client()).acquire('account-7', 10_000, {
      timeoutMs: 5_000,
      retryDelayMs: 10,
    });
    expect(holderB.fencingToken).toBeGreaterThan(holderA.fencingToken);
    expect(await fence.fencedSet('account-7', holderB.fencingToken, { 'account-7:balance': '80' })).toBe(
      true,
    );

    // A wakes up and writes with its old token: rejected, B's write stands.
    expect(await fence.fencedSet('account-7', holderA.fencingToken, { 'account-7:balance': '50' })).toBe(
      false,
    );
    expect(await fence.checkAndSetFence('account-7', holderA.fencingToken)).toBe(false);
    expect(await client.get('account-7:balance')).toBe('80');
    // The same check for a resource that stores the highest token itself.
    expect(acceptsFencingToken(await fence.highest('account-7'), holderA.fencingToken)).toBe(false);
    expect(acceptsFencingToken(await fence.highest('account-7'), holderB.fencingToken)).toBe(true);
  });

  describe('withLock', () => {
    it('releases the lock when the work throws', async () => {
      await expect(
        lock.withLock('failing', 10_000, async () => {
          throw new Error('work failed');
        }),
      ).rejects.toThrow('work failed');
      expect(await client.exists('lock:{failing}')).toBe(0);
    });

    it('keeps extending the lease while the work runs longer than the TTL', async () => {
      const contender = new RedisLock(env.redis.client());
      let contenderGotIt = false;
      let aborted = false;
      await lock.withLock(
        'long-job',
        300,
        async (_lease, signal) => {
          for (let waited = 0; waited < 1_200; waited += 100) {
            await sleep(100);
            const stolen = await contender.tryAcquire('long-job', 300);
            if (stolen) contenderGotIt = true;
          }
          aborted = signal.aborted;
        },
        { autoExtend: true },
      );
      expect(contenderGotIt).toBe(false);
      expect(aborted).toBe(false);
      expect(await client.exists('lock:{long-job}')).toBe(0);
    });

    it('aborts the work’s signal when the lease is lost', async () => {
      const reason = await lock.withLock(
        'lost-job',
        600,
        async (_lease, signal) => {
          await client.del('lock:{lost-job}'); // e.g. expired during a pause and taken over
          await waitFor(() => signal.aborted, { timeoutMs: 10_000 });
          return signal.reason as unknown;
        },
        { autoExtend: true },
      );
      expect(reason).toBeInstanceOf(LockLostError);
    });

    it('aborts the signal when the TTL runs out without autoExtend', async () => {
      const reason = await lock.withLock('short-job', 200, async (_lease, signal) => {
        await waitFor(() => signal.aborted, { timeoutMs: 10_000 });
        return signal.reason as unknown;
      });
      expect(reason).toBeInstanceOf(LockLostError);
    });
  });
});
