import { registerInstance } from '@shop/discovery';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { startGateway, type RunningGateway } from '../test-support/start-gateway';
import { startUpstream, type UpstreamServer } from '../test-support/upstream-server';

describe('gateway load balancing over real upstreams', () => {
  let env: TestEnvironment;
  const gateways: RunningGateway[] = [];
  const servers: UpstreamServer[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('gateway-balancing', { redis: true });
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.app.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(() => env.dispose());

  async function upstreams(...names: string[]) {
    const started = await Promise.all(names.map((n) => startUpstream(n)));
    servers.push(...started);
    return started;
  }

  async function gateway(vars: Record<string, string>) {
    const started = await startGateway({
      redisUrl: env.redis.url,
      redisKeyPrefix: env.redis.keyPrefix,
      env: vars,
    });
    gateways.push(started);
    return started;
  }

  /** Sends `total` GETs with `concurrency` in flight; returns how many each server answered. */
  async function spread(
    base: string,
    path: string,
    total: number,
    concurrency: number,
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    let sent = 0;
    const worker = async () => {
      while (sent < total) {
        sent += 1;
        const response = await fetch(base + path);
        expect(response.status).toBe(200);
        const { server } = (await response.json()) as { server: string };
        counts[server] = (counts[server] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return counts;
  }

  it('splits 1,000 requests 3:1 by weight (smooth weighted round robin), within 5%', async () => {
    const [heavy, light] = await upstreams('heavy', 'light');
    const gw = await gateway({
      CATALOG_URLS: `${heavy!.url};weight=3|${light!.url};weight=1`,
      GATEWAY_ROUTE_BALANCERS: 'products-browse=smooth-weighted',
    });
    const counts = await spread(gw.url, '/api/products', 1000, 8);
    expect(counts.heavy! + counts.light!).toBe(1000);
    expect(Math.abs(counts.heavy! / 1000 - 0.75)).toBeLessThanOrEqual(0.05);
  });

  it('round robin ignores weights', async () => {
    const [a, b] = await upstreams('rr-a', 'rr-b');
    const gw = await gateway({
      CATALOG_URLS: `${a!.url};weight=3|${b!.url}`,
      GATEWAY_ROUTE_BALANCERS: 'products-browse=round-robin',
    });
    expect(await spread(gw.url, '/api/products', 200, 1)).toEqual({ 'rr-a': 100, 'rr-b': 100 });
  });

  it('least outstanding (two random choices) sends clearly more to the faster of two instances', async () => {
    const [fast, slow] = await upstreams('fast', 'slow');
    slow!.handle(() => ({ delayMs: 60 }));
    const gw = await gateway({
      CATALOG_URLS: `${fast!.url}|${slow!.url}`,
      GATEWAY_ROUTE_BALANCERS: 'products-browse=least-outstanding',
    });
    const counts = await spread(gw.url, '/api/products', 300, 10);
    expect(counts.fast! + counts.slow!).toBe(300);
    // Round robin would give 150/150; requests piling up on the slow one steer new ones away from it.
    expect(counts.fast!).toBeGreaterThan(2 * counts.slow!);
  });

  it('routes to instances as they register in Redis and stops when they deregister, without configuration', async () => {
    const [first, second] = await upstreams('reg-1', 'reg-2');
    const gw = await gateway({ GATEWAY_ROUTE_BALANCERS: 'products-browse=round-robin' });
    const registry = env.redis.client();
    const one = await registerInstance(
      registry,
      { service: 'catalog', instanceId: 'reg-1', address: first!.url },
      { ttlMs: 5_000 },
    );
    await waitFor(async () => (await fetch(`${gw.url}/api/products`)).status === 200, { timeoutMs: 5_000 });
    const two = await registerInstance(
      registry,
      { service: 'catalog', instanceId: 'reg-2', address: second!.url, weight: 1 },
      { ttlMs: 5_000 },
    );
    await waitFor(async () => (await spread(gw.url, '/api/products', 2, 1))['reg-2'] === 1, {
      timeoutMs: 5_000,
    });
    expect(await spread(gw.url, '/api/products', 40, 1)).toEqual({ 'reg-1': 20, 'reg-2': 20 });

    await one.deregister();
    await waitFor(
      async () => {
        const counts = await spread(gw.url, '/api/products', 4, 1);
        return counts['reg-2'] === 4;
      },
      { timeoutMs: 5_000 },
    );
    await two.reportHealth('draining'); // a draining instance gets nothing new
    // (product browsing then answers from the stale-if-error copy, marked as such)
    await waitFor(
      async () => (await fetch(`${gw.url}/api/products`)).headers.get('x-gateway-cache') === 'stale',
      { timeoutMs: 5_000 },
    );
    const seenByDraining = second!.seen.length;
    const stale = await fetch(`${gw.url}/api/products`);
    expect(stale.headers.get('x-gateway-cache')).toBe('stale');
    expect(second!.seen.length).toBe(seenByDraining);
    await two.deregister();
  });
});
