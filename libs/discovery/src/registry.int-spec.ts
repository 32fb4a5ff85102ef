import { join } from 'node:path';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import type Redis from 'ioredis';
import { CompositeDiscovery } from './discovery-provider';
import { registerInstance, type InstanceRegistration } from './register-instance';
import { RedisRegistryWatcher } from './redis-registry-watcher';
import { registryKeys } from './registry-keys';
import { parseRegistryRecord, type ServiceInstance } from './service-instance';
import { StaticDiscovery } from './static-upstreams';
import { spawnTs } from './test-support';

describe('Redis service registry', () => {
  let env: TestEnvironment;
  let redis: Redis;
  const watchers: RedisRegistryWatcher[] = [];
  const registrations: InstanceRegistration[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('discovery', { redis: true });
    redis = env.redis.client();
  });
  afterEach(async () => {
    await Promise.all(registrations.splice(0).map((r) => r.deregister()));
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });
  afterAll(() => env.dispose());

  async function watch(services: string[], options: { subscribe?: boolean; pollIntervalMs?: number } = {}) {
    const watcher = new RedisRegistryWatcher(env.redis.client(), {
      services,
      pollIntervalMs: 100,
      ...options,
    });
    const changes: { service: string; ids: string[] }[] = [];
    watcher.onChange((service, list) => changes.push({ service, ids: list.map((i) => i.instanceId) }));
    await watcher.start();
    watchers.push(watcher);
    return { watcher, changes };
  }

  async function register(...args: Parameters<typeof registerInstance>) {
    const registration = await registerInstance(...args);
    registrations.push(registration);
    return registration;
  }

  const ids = (list: readonly ServiceInstance[]) => list.map((i) => i.instanceId);

  it('sees a registration at once through the change channel, with address, weight and health', async () => {
    // A poll interval far beyond the test: only the published change can make the watcher see it.
    const { watcher } = await watch(['order'], { pollIntervalMs: 600_000 });
    expect(watcher.instances('order')).toEqual([]);
    await register(redis, {
      service: 'order',
      instanceId: 'order-1',
      address: 'http://10.0.0.1:3003',
      weight: 3,
    });
    await waitFor(() => watcher.instances('order').length === 1, { timeoutMs: 5_000 });
    expect(watcher.instances('order')).toEqual([
      { service: 'order', instanceId: 'order-1', address: 'http://10.0.0.1:3003', weight: 3, health: 'up' },
    ]);
  });

  it('keeps an instance past its TTL while it heartbeats, and drops it after its process is killed -9', async () => {
    const { watcher, changes } = await watch(['catalog']);
    const registered = spawnTs(
      join(__dirname, 'test-support/registered-process.ts'),
      {
        REDIS_URL: env.redis.url,
        REDIS_KEY_PREFIX: env.redis.keyPrefix,
        SERVICE: 'catalog',
        INSTANCE_ID: 'catalog-1',
        ADDRESS: 'http://10.0.0.2:3002',
        TTL_MS: '600',
        HEARTBEAT_MS: '150',
      },
      /^REGISTERED/,
    );
    try {
      await registered.ready;
      await waitFor(() => watcher.instances('catalog').length === 1);
      // Three TTLs later it is still there, with a newer heartbeat: each heartbeat renewed the TTL.
      const key = registryKeys.instance('catalog', 'catalog-1');
      const firstBeat = parseRegistryRecord(await redis.get(key))?.heartbeatAt;
      await sleep(3 * 600);
      expect(parseRegistryRecord(await redis.get(key))?.heartbeatAt).not.toBe(firstBeat);
      expect(ids(watcher.instances('catalog'))).toEqual(['catalog-1']);

      await registered.kill9(); // no deregistration: only the TTL can tell
      await waitFor(() => watcher.instances('catalog').length === 0, { timeoutMs: 5_000 });
      expect(await redis.exists(key)).toBe(0);
      expect(await redis.smembers(registryKeys.index('catalog'))).toEqual([]); // index cleaned by the reader
      expect(changes).toEqual([
        { service: 'catalog', ids: ['catalog-1'] },
        { service: 'catalog', ids: [] },
      ]);
    } finally {
      await registered.kill9();
    }
  });

  it('drops a deregistered instance at once and keeps the others', async () => {
    const { watcher } = await watch(['inventory'], { pollIntervalMs: 600_000 });
    const first = await register(redis, {
      service: 'inventory',
      instanceId: 'i-1',
      address: 'http://a:3004',
    });
    await register(redis, { service: 'inventory', instanceId: 'i-2', address: 'http://b:3004' });
    await waitFor(() => watcher.instances('inventory').length === 2, { timeoutMs: 5_000 });
    await first.deregister();
    await first.deregister(); // harmless
    await waitFor(() => ids(watcher.instances('inventory')).join() === 'i-2', { timeoutMs: 5_000 });
  });

  it('carries reported health and weight changes', async () => {
    const { watcher } = await watch(['payment']);
    const registration = await register(redis, {
      service: 'payment',
      instanceId: 'p-1',
      address: 'http://p:3005',
    });
    await waitFor(() => watcher.instances('payment')[0]?.health === 'up');
    await registration.reportHealth('draining');
    await waitFor(() => watcher.instances('payment')[0]?.health === 'draining');
    await registration.setWeight(5);
    await waitFor(() => watcher.instances('payment')[0]?.weight === 5);
  });

  it('asks the health probe at each heartbeat', async () => {
    let healthy = true;
    const { watcher } = await watch(['notification']);
    await register(
      redis,
      { service: 'notification', instanceId: 'n-1', address: 'http://n:3006' },
      { ttlMs: 3_000, heartbeatMs: 100, healthProbe: () => (healthy ? 'up' : 'down') },
    );
    await waitFor(() => watcher.instances('notification')[0]?.health === 'up');
    healthy = false;
    await waitFor(() => watcher.instances('notification')[0]?.health === 'down');
    healthy = true;
    await waitFor(() => watcher.instances('notification')[0]?.health === 'up');
  });

  it('re-registers after its record was lost (Redis restarted without persistence)', async () => {
    const { watcher } = await watch(['user']);
    await register(
      redis,
      { service: 'user', instanceId: 'u-1', address: 'http://u:3001' },
      { ttlMs: 3_000, heartbeatMs: 100 },
    );
    await waitFor(() => watcher.instances('user').length === 1);
    await redis.del(registryKeys.instance('user', 'u-1'), registryKeys.index('user'));
    await waitFor(async () => (await redis.exists(registryKeys.instance('user', 'u-1'))) === 1, {
      timeoutMs: 2_000,
    });
    expect(await redis.smembers(registryKeys.index('user'))).toEqual(['u-1']);
  });

  it('lets static lists win over the registry in a composite provider', async () => {
    const registry = new RedisRegistryWatcher(env.redis.client(), {
      services: ['gateway', 'order'],
      pollIntervalMs: 100,
    });
    const composite = new CompositeDiscovery([
      StaticDiscovery.fromEnv({ ORDER_URLS: 'http://static:3003' }, ['order']),
      registry,
    ]);
    await composite.start();
    try {
      await register(redis, { service: 'order', instanceId: 'dyn', address: 'http://dyn:3003' });
      await register(redis, { service: 'gateway', instanceId: 'gw', address: 'http://gw:8080' });
      await waitFor(() => composite.knows('gateway'));
      expect(ids(composite.instances('order'))).toEqual(['static:3003']);
      expect(ids(composite.instances('gateway'))).toEqual(['gw']);
      expect(composite.knows('payment')).toBe(false);
    } finally {
      await composite.stop();
    }
  });
});
