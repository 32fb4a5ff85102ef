import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { startGateway, type RunningGateway } from '../test-support/start-gateway';
import { TokenIssuer } from '../test-support/token-issuer';
import { startUpstream, type UpstreamServer } from '../test-support/upstream-server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('gateway resilience: bulkhead, retries, timeouts, breakers, stale-if-error, rate limits', () => {
  let env: TestEnvironment;
  let issuer: TokenIssuer;
  const gateways: RunningGateway[] = [];
  const servers: UpstreamServer[] = [];
  let suite = 0;

  beforeAll(async () => {
    env = await createTestEnvironment('gateway-resilience', { redis: true });
    issuer = new TokenIssuer();
    await issuer.start();
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.app.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await issuer.close();
    await env.dispose();
  });

  async function upstreams(...names: string[]) {
    const started = await Promise.all(names.map((n) => startUpstream(n)));
    servers.push(...started);
    return started;
  }

  async function gateway(vars: Record<string, string>) {
    suite += 1;
    const started = await startGateway({
      redisUrl: env.redis.url,
      redisKeyPrefix: env.redis.keyPrefix,
      jwksUrl: issuer.jwksUrl,
      // each gateway its own rate-limit counters
      env: { REDIS_KEY_PREFIX: `${env.redis.keyPrefix}gw${suite}:`, ...vars },
    });
    gateways.push(started);
    return started;
  }

  async function call(
    base: string,
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ) {
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as Json,
    };
  }

  describe('bulkhead per upstream service', () => {
    it('queues then rejects with 503 + Retry-After when one service is saturated, while another service keeps answering', async () => {
      const [catalog, user] = await upstreams('catalog', 'user');
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      catalog!.handle(() => ({ hold: held }));
      const gw = await gateway({
        GATEWAY_UPSTREAMS: `catalog=${catalog!.url},user=${user!.url}`,
        BULKHEAD_MAX_CONCURRENT: '2',
        BULKHEAD_MAX_QUEUE: '2',
        BULKHEAD_QUEUE_TIMEOUT_MS: '60000',
        UPSTREAM_TRY_TIMEOUT_MS: '50000',
        REQUEST_DEADLINE_MS: '60000',
      });
      const bulkhead = gw.runtime.directory.service('catalog')!.bulkhead;

      const first = [1, 2, 3, 4].map((i) => call(gw.url, 'GET', `/api/products/${i}`));
      await waitFor(() => catalog!.inFlight === 2 && bulkhead.queued === 2, { timeoutMs: 10_000 });
      const rejected = await Promise.all([5, 6].map((i) => call(gw.url, 'GET', `/api/products/${i}`)));
      for (const answer of rejected) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('1');
        expect(answer.body.error).toEqual({
          code: 'SERVICE_UNAVAILABLE',
          message: 'Too many requests waiting for catalog',
        });
      }
      expect(catalog!.seen.length).toBe(2); // the queued and rejected ones never reached it

      // The saturated catalog does not hold up the user service.
      for (let i = 0; i < 5; i++)
        expect((await call(gw.url, 'GET', '/api/.well-known/jwks.json')).status).toBe(200);
      expect(gw.runtime.directory.service('user')!.bulkhead.active).toBe(0);

      release();
      expect((await Promise.all(first)).map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(
        /bulkhead_rejections_total\{[^}]*bulkhead="catalog"[^}]*reason="full"[^}]*\} 2/,
      );
    });
  });

  describe('retries', () => {
    it('retries an idempotent request on another instance, and never a POST without Idempotency-Key', async () => {
      const [bad, good] = await upstreams('bad', 'good');
      bad!.handle(() => ({
        status: 503,
        body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'bad instance' } },
      }));
      const gw = await gateway({
        ORDER_URLS: `${bad!.url}|${good!.url}`,
        GATEWAY_ROUTE_BALANCERS: 'orders=round-robin',
        OUTLIER_CONSECUTIVE_FAILURES: '1000',
        BREAKER_VOLUME_THRESHOLD: '1000',
      });
      const auth = {
        authorization: `Bearer ${await issuer.token({ sub: 'user-1', roles: ['customer'] })}`,
        'content-type': 'application/json',
      };

      for (let i = 0; i < 4; i++) {
        const answer = await call(
          gw.url,
          'POST',
          '/api/orders',
          { ...auth, 'idempotency-key': `key-${i}` },
          `{"n":${i}}`,
        );
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ server: 'good', body: `{"n":${i}}` });
      }
      const keyed = (server: UpstreamServer) => server.seen.filter((r) => r.headers['idempotency-key']);
      expect(keyed(bad!).length).toBeGreaterThan(0); // round robin sent some there first ...
      for (const request of keyed(bad!)) {
        // ... and each of those was retried with the same key and body on the other instance
        expect(
          keyed(good!).some(
            (r) =>
              r.headers['idempotency-key'] === request.headers['idempotency-key'] && r.body === request.body,
          ),
        ).toBe(true);
      }

      const before = bad!.seen.length + good!.seen.length;
      const plain = await Promise.all(
        [0, 1, 2, 3].map((i) => call(gw.url, 'POST', '/api/orders', auth, `{"plain":${i}}`)),
      );
      expect(bad!.seen.length + good!.seen.length - before).toBe(4); // each sent exactly once
      expect(plain.filter((a) => a.status === 503).length).toBe(
        bad!.seen.filter((r) => r.body.startsWith('{"plain"')).length,
      );
      // the upstream's own error body is relayed as is
      expect(plain.find((a) => a.status === 503)?.body).toEqual({
        error: { code: 'SERVICE_UNAVAILABLE', message: 'bad instance' },
      });
    });

    it('answers 504 when the only instance does not answer within the per-try timeout', async () => {
      const [slow] = await upstreams('slow');
      slow!.handle(() => ({ delayMs: 3_000 }));
      const gw = await gateway({
        CATALOG_URLS: slow!.url,
        UPSTREAM_TRY_TIMEOUT_MS: '200',
        REQUEST_DEADLINE_MS: '1000',
        STALE_MAX_ENTRIES: '0',
      });
      const answer = await call(gw.url, 'GET', '/api/products/1');
      expect(answer.status).toBe(504);
      expect(answer.body.error).toEqual({
        code: 'GATEWAY_TIMEOUT',
        message: 'catalog did not answer in time',
      });
    });

    it('answers 502 when the only instance cannot be reached', async () => {
      const [gone] = await upstreams('gone');
      await gone!.close();
      const gw = await gateway({ CATALOG_URLS: gone!.url, STALE_MAX_ENTRIES: '0' });
      const answer = await call(gw.url, 'GET', '/api/products/1');
      expect(answer.status).toBe(502);
      expect(answer.body.error.code).toBe('BAD_GATEWAY');
    });
  });

  describe('circuit breaker per instance', () => {
    it("opens the failing instance's breaker, which then gets no requests, while clients are served by the other", async () => {
      const [failing, healthy] = await upstreams('failing', 'healthy');
      failing!.handle(() => ({ status: 500 }));
      const gw = await gateway({
        CATALOG_URLS: `${failing!.url}|${healthy!.url}`,
        GATEWAY_ROUTE_BALANCERS: 'products-browse=round-robin',
        BREAKER_VOLUME_THRESHOLD: '4',
        OUTLIER_CONSECUTIVE_FAILURES: '1000',
        STALE_MAX_ENTRIES: '0',
      });
      const failingInstance = gw.runtime.directory
        .service('catalog')!
        .all()
        .find((i) => i.instance.address === failing!.url)!;
      let answers = 0;
      await waitFor(
        async () => {
          await call(gw.url, 'GET', `/api/products/${answers++}`);
          return failingInstance.breaker.opened;
        },
        { timeoutMs: 10_000 },
      );
      const seenWhenOpened = failing!.seen.length;
      const after = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(gw.url, 'GET', `/api/products/x${i}`)),
      );
      expect(after.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(failing!.seen.length).toBe(seenWhenOpened);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(
        new RegExp(`breaker_state\\{[^}]*breaker="catalog@127\\.0\\.0\\.1:${failing!.port}"[^}]*\\} 2`),
      );
    });
  });

  describe('active health checks', () => {
    it('takes an instance failing GET /health/ready out of rotation, and brings it back when it passes again', async () => {
      const [flaky, steady] = await upstreams('flaky', 'steady');
      const gw = await gateway({
        CATALOG_URLS: `${flaky!.url}|${steady!.url}`,
        GATEWAY_ROUTE_BALANCERS: 'products-browse=round-robin',
        HEALTH_CHECK_INTERVAL_MS: '50',
        HEALTH_UNHEALTHY_THRESHOLD: '2',
        HEALTH_HEALTHY_THRESHOLD: '2',
      });
      const instance = gw.runtime.directory
        .service('catalog')!
        .all()
        .find((i) => i.instance.address === flaky!.url)!;
      flaky!.setReady(false);
      await waitFor(() => !instance.activeHealth.healthy, { timeoutMs: 10_000 });
      const seenWhileUnhealthy = flaky!.seen.length;
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => call(gw.url, 'GET', '/api/products')),
      );
      expect(answers.map((a) => a.body.server)).toEqual(Array(10).fill('steady'));
      expect(flaky!.seen.length).toBe(seenWhileUnhealthy);

      flaky!.setReady(true);
      await waitFor(() => instance.activeHealth.healthy, { timeoutMs: 10_000 });
      const back = await Promise.all(Array.from({ length: 10 }, () => call(gw.url, 'GET', '/api/products')));
      expect(back.filter((a) => a.body.server === 'flaky').length).toBe(5);
    });
  });

  describe('stale-if-error', () => {
    it('answers product browsing with the last good copy when every instance fails, and says so', async () => {
      const [catalog] = await upstreams('catalog');
      catalog!.handle((request) => ({
        body: { id: request.url, name: 'Stoneware Mug' },
        headers: { 'cache-control': 'public, max-age=60' },
      }));
      const gw = await gateway({ CATALOG_URLS: catalog!.url, UPSTREAM_TRY_TIMEOUT_MS: '500' });

      const fresh = await call(gw.url, 'GET', '/api/products/p-1');
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('x-gateway-cache')).toBeNull();

      catalog!.handle(() => ({
        status: 503,
        body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } },
      }));
      const stale = await call(gw.url, 'GET', '/api/products/p-1');
      expect(stale.status).toBe(200);
      expect(stale.body).toEqual(fresh.body);
      expect(stale.headers.get('x-gateway-cache')).toBe('stale');
      expect(stale.headers.get('warning')).toBe('110 - "Response is Stale"');

      const never = await call(gw.url, 'GET', '/api/products/p-2'); // no copy: the failure shows
      expect(never.status).toBe(503);

      await catalog!.close(); // unreachable now
      const unreachable = await call(gw.url, 'GET', '/api/products/p-1');
      expect(unreachable.status).toBe(200);
      expect(unreachable.headers.get('x-gateway-cache')).toBe('stale');
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/gateway_stale_responses_total\{[^}]*upstream="catalog"[^}]*\} 2/);
    });

    it('does not keep private answers', async () => {
      const [catalog] = await upstreams('catalog');
      catalog!.handle(() => ({ headers: { 'cache-control': 'private' } }));
      const gw = await gateway({ CATALOG_URLS: catalog!.url });
      expect((await call(gw.url, 'GET', '/api/products/p-9')).status).toBe(200);
      catalog!.handle(() => ({ status: 503 }));
      expect((await call(gw.url, 'GET', '/api/products/p-9')).status).toBe(503);
    });
  });

  describe('rate limits in Redis', () => {
    it('answers 429 with Retry-After past the per-address limit', async () => {
      const [catalog] = await upstreams('catalog');
      const gw = await gateway({
        CATALOG_URLS: catalog!.url,
        RATE_LIMIT_PER_ADDRESS: '5',
        RATE_LIMIT_WINDOW_MS: '60000',
      });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await call(gw.url, 'GET', '/api/products')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await call(gw.url, 'GET', '/api/products');
      expect(limited.headers.get('retry-after')).toMatch(/^(59|60)$/);
      expect(limited.body.error).toMatchObject({
        code: 'RATE_LIMITED',
        details: { retryAfterSeconds: Number(limited.headers.get('retry-after')) },
      });
      expect(catalog!.seen.length).toBe(5);
    });

    it('limits each signed-in user on their own counter', async () => {
      const [user] = await upstreams('user');
      const gw = await gateway({
        USER_URLS: user!.url,
        RATE_LIMIT_PER_USER: '3',
        RATE_LIMIT_PER_ADDRESS: '1000',
      });
      const as = async (sub: string) => ({
        authorization: `Bearer ${await issuer.token({ sub, roles: ['customer'] })}`,
      });
      const ann = await as('ann');
      const bob = await as('bob');
      const annStatuses: number[] = [];
      for (let i = 0; i < 4; i++) annStatuses.push((await call(gw.url, 'GET', '/api/users/me', ann)).status);
      expect(annStatuses).toEqual([200, 200, 200, 429]);
      expect((await call(gw.url, 'GET', '/api/users/me', bob)).status).toBe(200);
    });
  });
});
