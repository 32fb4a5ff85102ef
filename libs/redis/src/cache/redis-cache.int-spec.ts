import type Redis from 'ioredis';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import { closeRedis } from '../connection/close-redis';
import { createRedis } from '../connection/create-redis';
import { startFaultProxy } from '../test-support/fault-proxy';
import { RedisCache } from './redis-cache';

describe('RedisCache', () => {
  let env: TestEnvironment;
  let client: Redis;

  beforeAll(async () => {
    env = await createTestEnvironment('redis-cache', { redis: true });
    client = env.redis.client();
  });
  afterAll(() => env.dispose());

  /** A loader that counts its calls and takes a while, like a database query. */
  function slowLoader<T>(value: T, delayMs = 50): { load: () => Promise<T>; calls: () => number } {
    let calls = 0;
    return {
      load: async () => {
        calls++;
        await sleep(delayMs);
        return value;
      },
      calls: () => calls,
    };
  }

  it('serves a cached value without calling the loader again', async () => {
    const cache = new RedisCache(client, { ttlMs: 60_000 });
    const loader = slowLoader({ id: 'p-1', price: 1999, tags: ['a'] });
    expect(await cache.getOrLoad('product:p-1', loader.load)).toEqual({
      id: 'p-1',
      price: 1999,
      tags: ['a'],
    });
    expect(await cache.getOrLoad('product:p-1', loader.load)).toEqual({
      id: 'p-1',
      price: 1999,
      tags: ['a'],
    });
    expect(loader.calls()).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, loads: 1, errors: 0 });
    expect(JSON.parse((await client.get('cache:{product:p-1}'))!)).toEqual({
      id: 'p-1',
      price: 1999,
      tags: ['a'],
    });
  });

  it('caches null but not undefined', async () => {
    const cache = new RedisCache(client, { ttlMs: 60_000 });
    const none = slowLoader(null, 1);
    await cache.getOrLoad('missing', none.load);
    await cache.getOrLoad('missing', none.load);
    expect(none.calls()).toBe(1);
    const nothing = slowLoader(undefined, 1);
    await cache.getOrLoad('nothing', nothing.load);
    await cache.getOrLoad('nothing', nothing.load);
    expect(nothing.calls()).toBe(2);
  });

  it('sets a jittered TTL within the requested bounds', async () => {
    const cache = new RedisCache(client, { ttlMs: 10_000, jitter: 0.1 });
    const ttls: number[] = [];
    for (let i = 0; i < 20; i++) {
      await cache.getOrLoad(`ttl:${i}`, async () => i);
      ttls.push(await client.pttl(`cache:{ttl:${i}}`));
    }
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(11_000);
    }
    expect(new Set(ttls).size).toBeGreaterThan(1);
  });

  it('lets entries expire', async () => {
    const cache = new RedisCache(client, { ttlMs: 200, jitter: 0 });
    let version = 1;
    const loader = async () => `v${version}`;
    expect(await cache.getOrLoad('expiring', loader)).toBe('v1');
    version = 2;
    expect(await cache.getOrLoad('expiring', loader)).toBe('v1'); // still cached
    await waitFor(async () => (await cache.getOrLoad('expiring', loader)) === 'v2', { timeoutMs: 10_000 });
  });

  it('calls the loader once for 100 concurrent misses on one key', async () => {
    const cache = new RedisCache(client, { ttlMs: 60_000 });
    const loader = slowLoader('hot value');
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad('hot', loader.load)));
    expect(results).toEqual(Array(100).fill('hot value'));
    expect(loader.calls()).toBe(1);
    expect(cache.stats()).toMatchObject({ loads: 1, coalesced: 99 });
  });

  it('calls the loader once for concurrent misses from several processes', async () => {
    // Each cache has its own connection and its own in-process single flight, like separate service instances.
    const instances = Array.from(
      { length: 5 },
      () => new RedisCache(env.redis.client(), { ttlMs: 60_000, fillWaitMs: 10_000 }),
    );
    const loader = slowLoader('shared value', 200);
    const results = await Promise.all(
      instances.flatMap((cache) =>
        Array.from({ length: 20 }, () => cache.getOrLoad('fleet-hot', loader.load)),
      ),
    );
    expect(results).toEqual(Array(100).fill('shared value'));
    expect(loader.calls()).toBe(1);
  });

  it('lets a waiting process take over the load when the first loader fails', async () => {
    const first = new RedisCache(env.redis.client(), { ttlMs: 60_000 });
    const second = new RedisCache(env.redis.client(), { ttlMs: 60_000, fillWaitMs: 10_000 });
    const failing = first.getOrLoad('flaky', async () => {
      await sleep(100);
      throw new Error('database timeout');
    });
    await sleep(20); // the first instance holds the fill claim
    const recovering = slowLoader('fresh', 1);
    const [failed, recovered] = await Promise.allSettled([
      failing,
      second.getOrLoad('flaky', recovering.load),
    ]);
    expect(failed).toMatchObject({ status: 'rejected', reason: new Error('database timeout') });
    expect(recovered).toEqual({ status: 'fulfilled', value: 'fresh' });
    expect(await second.getOrLoad('flaky', recovering.load)).toBe('fresh');
    expect(recovering.calls()).toBe(1);
  });

  describe('invalidation', () => {
    it('invalidate and invalidateMany make the next read load fresh data', async () => {
      const cache = new RedisCache(client, { ttlMs: 60_000 });
      const db = new Map([
        ['user:1', 'Ada'],
        ['user:2', 'Grace'],
        ['user:3', 'Linus'],
      ]);
      const read = (key: string) => cache.getOrLoad(key, async () => db.get(key));
      for (const key of db.keys()) await read(key);

      db.set('user:1', 'Ada L.');
      expect(await read('user:1')).toBe('Ada'); // stale until invalidated
      await cache.invalidate('user:1');
      expect(await read('user:1')).toBe('Ada L.');

      db.set('user:2', 'Grace H.');
      db.set('user:3', 'Linus T.');
      await cache.invalidateMany(['user:2', 'user:3']);
      expect([await read('user:2'), await read('user:3')]).toEqual(['Grace H.', 'Linus T.']);
    });

    it('invalidateByPrefix removes exactly the entries under the prefix', async () => {
      const cache = new RedisCache(client, { ttlMs: 60_000 });
      for (let i = 0; i < 1_200; i++) await client.set(`cache:{order:u1:${i}}`, '"x"');
      await cache.getOrLoad('order:u2:1', async () => 'other user');
      await cache.getOrLoad('order:u1*', async () => 'literal star'); // glob characters are not wildcards

      expect(await cache.invalidateByPrefix('order:u1:')).toBe(1_200);
      expect(await client.exists('cache:{order:u1:0}', 'cache:{order:u1:1199}')).toBe(0);
      expect(await client.get('cache:{order:u2:1}')).toBe('"other user"');
      expect(await client.get('cache:{order:u1*}')).toBe('"literal star"');
    });

    it('keeps a load that started before an invalidation from caching its stale result', async () => {
      const cache = new RedisCache(client, { ttlMs: 60_000 });
      let stock = 5;
      const slowRead = async () => {
        const seen = stock;
        await sleep(200); // the row changes and the event arrives meanwhile
        return seen;
      };
      const inFlight = cache.getOrLoad('stock:sku-1', slowRead);
      await sleep(50);
      stock = 4;
      await cache.invalidate('stock:sku-1');
      expect(await inFlight).toBe(5); // that caller read before the change
      expect(await cache.getOrLoad('stock:sku-1', async () => stock)).toBe(4);
    });
  });

  describe('when Redis is unavailable', () => {
    it('answers from the loader when the server cannot be reached', async () => {
      const unreachable = createRedis('redis://127.0.0.1:1', {
        connectTimeout: 200,
        // ioredis keeps the queued commands of a client closed while reconnecting until their
        // commandTimeout, and waits disconnectTimeout for a socket that is already gone.
        commandTimeout: 500,
        disconnectTimeout: 100,
        onError: () => undefined,
      });
      try {
        const cache = new RedisCache(unreachable, { ttlMs: 60_000, redisTimeoutMs: 100 });
        const loader = slowLoader({ total: 42 }, 1);
        const results = await Promise.all(
          Array.from({ length: 3 }, () => cache.getOrLoad('order:9', loader.load)),
        );
        expect(results).toEqual(Array(3).fill({ total: 42 }));
        expect(await cache.getOrLoad('order:9', loader.load)).toEqual({ total: 42 });
        expect(cache.stats()).toMatchObject({ hits: 0, loads: 2 });
        expect(cache.stats().errors).toBeGreaterThan(0);
      } finally {
        await closeRedis(unreachable);
      }
    });

    it('answers from the loader after its connection was closed', async () => {
      const closing = createRedis(env.redis.url, { keyPrefix: env.redis.keyPrefix });
      const cache = new RedisCache(closing, { ttlMs: 60_000 });
      await cache.getOrLoad('price:1', async () => 10);
      await closeRedis(closing);
      expect(await cache.getOrLoad('price:1', async () => 11)).toBe(11);
      expect(cache.stats().errors).toBeGreaterThan(0);
    });

    it('answers from the loader when connected Redis stops answering', async () => {
      const proxy = await startFaultProxy(env.redis.url);
      const hanging = createRedis(proxy.url, { keyPrefix: env.redis.keyPrefix, onError: () => undefined });
      try {
        await waitFor(() => hanging.status === 'ready');
        const cache = new RedisCache(hanging, { ttlMs: 60_000, redisTimeoutMs: 100 });
        expect(await cache.getOrLoad('cart:1', async () => 'cached before the fault')).toBe(
          'cached before the fault',
        );

        proxy.blackhole(true);
        expect(await cache.getOrLoad('cart:1', async () => 'from the loader')).toBe('from the loader');
        expect(await cache.getOrLoad('cart:2', async () => 'also from the loader')).toBe(
          'also from the loader',
        );
        expect(hanging.status).toBe('ready'); // the client never noticed: only the timeout saved the call
        expect(cache.stats().errors).toBe(2);
      } finally {
        hanging.disconnect(); // not closeRedis: its QUIT would hang in the black hole too
        await proxy.close();
      }
    });
  });
});
