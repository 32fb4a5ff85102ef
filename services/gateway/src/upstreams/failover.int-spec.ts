import { join } from 'node:path';
import { spawnTs, type TsProcess } from '@shop/discovery/test-support';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import { startGateway, type RunningGateway } from '../test-support/start-gateway';

const UPSTREAM_PROCESS = join(__dirname, '../test-support/upstream-process.ts');

describe('gateway failover: an instance killed -9 during a steady stream', () => {
  let env: TestEnvironment;
  let gateway: RunningGateway;
  const processes: TsProcess[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('gateway-failover', { redis: true });
    gateway = await startGateway({
      redisUrl: env.redis.url,
      redisKeyPrefix: env.redis.keyPrefix,
      env: {
        GATEWAY_ROUTE_BALANCERS: 'products-browse=round-robin',
        OUTLIER_CONSECUTIVE_FAILURES: '3',
        OUTLIER_BASE_EJECTION_MS: '60000',
        STALE_MAX_ENTRIES: '0', // no stale answers: every failure must show
      },
    });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill9()));
    await gateway?.app.close();
    await env?.dispose();
  });

  /** An upstream in a child process that registers itself in the registry (TTL 1.5 s, heartbeat 300 ms). */
  async function upstreamProcess(name: string): Promise<TsProcess> {
    const child = spawnTs(
      UPSTREAM_PROCESS,
      {
        NAME: name,
        SERVICE: 'catalog',
        REDIS_URL: env.redis.url,
        REDIS_KEY_PREFIX: env.redis.keyPrefix,
        TTL_MS: '1500',
        HEARTBEAT_MS: '300',
      },
      /^LISTENING \d+/,
    );
    processes.push(child);
    await child.ready;
    return child;
  }

  it('fails at most the requests in flight, ejects the dead instance, and sends to a newly registered one', async () => {
    const a = await upstreamProcess('proc-a');
    await upstreamProcess('proc-b');
    const catalog = gateway.runtime.directory.service('catalog')!;
    await waitFor(() => catalog.all().length === 2, { timeoutMs: 10_000 });

    const results: { status: number; server?: string }[] = [];
    let running = true;
    const CONCURRENCY = 4;
    const worker = async () => {
      for (let i = 0; running; i++) {
        try {
          const response = await fetch(`${gateway.url}/api/products?i=${i}`);
          const body = (await response.json()) as { server?: string };
          results.push({ status: response.status, ...(body.server && { server: body.server }) });
        } catch {
          results.push({ status: 0 });
        }
      }
    };
    const stream = Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const served = (server: string) => results.filter((r) => r.server === server).length;

    try {
      await waitFor(() => served('proc-a') >= 20 && served('proc-b') >= 20, { timeoutMs: 20_000 });
      const killedAt = results.length;
      await a.kill9();

      // The dead instance leaves the directory once its registration expires (1.5 s) ...
      await waitFor(() => !catalog.all().some((i) => i.id === 'proc-a'), { timeoutMs: 10_000 });
      // ... but passive detection had ejected it long before (requests to it were retried on proc-b meanwhile).
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/gateway_upstream_ejections_total\{[^}]*instance="proc-a"[^}]*\} 1/);

      // A new instance registers and receives traffic without any configuration.
      await upstreamProcess('proc-c');
      await waitFor(() => served('proc-c') >= 20, { timeoutMs: 20_000 });
      await sleep(100);

      const afterKill = results.slice(killedAt);
      const failed = afterKill.filter((r) => r.status !== 200);
      expect(failed.length).toBeLessThanOrEqual(CONCURRENCY); // only what was in flight may fail
      expect(afterKill.filter((r) => r.server === 'proc-a').length).toBeLessThanOrEqual(CONCURRENCY);
      expect(served('proc-b')).toBeGreaterThan(40);
    } finally {
      running = false;
      await stream;
    }
    expect(results.slice(0, 40).every((r) => r.status === 200)).toBe(true);
  });
});
