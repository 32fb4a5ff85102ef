import { request as httpRequest } from 'node:http';
import { verifyIdentity } from '@shop/service-kit';
import { createTestEnvironment, type TestEnvironment } from '@shop/testing';
import { startGateway, TEST_IDENTITY_SECRET, type RunningGateway } from '../test-support/start-gateway';
import { TokenIssuer } from '../test-support/token-issuer';
import { startUpstream, type UpstreamServer } from '../test-support/upstream-server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('gateway proxy: routes, authentication, identity, headers', () => {
  let env: TestEnvironment;
  let gateway: RunningGateway;
  let issuer: TokenIssuer;
  let user: UpstreamServer;
  let catalog: UpstreamServer;
  let order: UpstreamServer;
  let inventory: UpstreamServer;

  beforeAll(async () => {
    env = await createTestEnvironment('gateway-proxy', { redis: true });
    issuer = new TokenIssuer();
    await issuer.start();
    [user, catalog, order, inventory] = (await Promise.all(
      ['user', 'catalog', 'order', 'inventory'].map((n) => startUpstream(n)),
    )) as [UpstreamServer, UpstreamServer, UpstreamServer, UpstreamServer];
    gateway = await startGateway({
      redisUrl: env.redis.url,
      redisKeyPrefix: env.redis.keyPrefix,
      jwksUrl: issuer.jwksUrl,
      env: {
        GATEWAY_UPSTREAMS: `user=${user.url},catalog=${catalog.url},order=${order.url}`,
        INVENTORY_URLS: inventory.url,
        BODY_LIMIT_BYTES: '1024',
      },
    });
  });
  afterAll(async () => {
    await gateway?.app.close();
    await Promise.all([user, catalog, order, inventory].map((s) => s?.close()));
    await issuer?.close();
    await env?.dispose();
  });

  async function call(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ) {
    const response = await fetch(gateway.url + path, {
      method,
      headers: options.headers,
      body: options.body,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as Json,
    };
  }

  const bearer = async (roles: string[], sub = 'user-1') => ({
    authorization: `Bearer ${await issuer.token({ sub, roles })}`,
  });

  describe('routing', () => {
    it('sends each public path to its service without the /api prefix, query kept', async () => {
      const products = await call('GET', '/api/products?search=blue%20mug&limit=5');
      expect(products.status).toBe(200);
      expect(products.body).toMatchObject({
        server: 'catalog',
        method: 'GET',
        url: '/products?search=blue%20mug&limit=5',
      });

      const login = await call('POST', '/api/auth/login', {
        headers: { 'content-type': 'application/json' },
        body: '{"email":"a@b.c","password":"x"}',
      });
      expect(login.body).toMatchObject({
        server: 'user',
        url: '/auth/login',
        body: '{"email":"a@b.c","password":"x"}',
      });

      const jwks = await call('GET', '/api/.well-known/jwks.json');
      expect(jwks.body).toMatchObject({ server: 'user', url: '/.well-known/jwks.json' });

      const stock = await call('GET', '/api/inventory/sku-1', { headers: await bearer(['customer']) });
      expect(stock.body).toMatchObject({ server: 'inventory', url: '/inventory/sku-1' });
    });

    it('answers 404 in the error body for paths no route serves; dot segments never reach a service', async () => {
      const unknown = await call('GET', '/api/payments/1');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Cannot GET /api/payments/1' } });
      expect(unknown.headers.get('x-request-id')).toBeTruthy();

      const before = user.seen.length;
      const traversal = await rawGet(gateway.url, '/api/products/%2e%2e/admin/keys/rotate');
      expect(traversal.status).toBe(404);
      expect(user.seen.length).toBe(before);
    });

    it('answers 503 when a routed service has no instance', async () => {
      const notifications = await call('GET', '/api/notifications', { headers: await bearer(['customer']) });
      expect(notifications.status).toBe(503);
      expect(notifications.body.error).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'No instance of notification is available',
      });
      expect(notifications.headers.get('retry-after')).toBe('1');
    });
  });

  describe('JWT verification and roles', () => {
    it('lets public routes through without a token, and refuses protected ones with 401', async () => {
      expect((await call('GET', '/api/products/1')).status).toBe(200);
      const me = await call('GET', '/api/users/me');
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('UNAUTHORIZED');
      expect(me.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('accepts a token signed with a published key and refuses tampered, expired, foreign and unsigned ones', async () => {
      expect((await call('GET', '/api/users/me', { headers: await bearer(['customer']) })).status).toBe(200);

      const token = await issuer.token({ sub: 'user-1', roles: ['customer'] });
      const [header, payload, signature] = token.split('.');
      const forgedPayload = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['admin'] }),
      ).toString('base64url');
      const refused = [
        `${header}.${forgedPayload}.${signature}`,
        await issuer.token({ sub: 'user-1', roles: [] }, { expiresIn: '-1m' }),
        await issuer.token({ sub: 'user-1', roles: [] }, { audience: 'other' }),
        await issuer.token({ sub: 'user-1', roles: [] }, { issuer: 'someone-else' }),
        await issuer.token({ sub: 'user-1', roles: [] }, { typ: 'JWT' }),
        'not-a-jwt',
      ];
      for (const bad of refused) {
        const answer = await call('GET', '/api/users/me', { headers: { authorization: `Bearer ${bad}` } });
        expect({ bad, status: answer.status, code: answer.body.error.code }).toEqual({
          bad,
          status: 401,
          code: 'UNAUTHORIZED',
        });
      }
      expect(
        (await call('GET', '/api/users/me', { headers: { authorization: 'Basic dXNlcjpwdw==' } })).status,
      ).toBe(401);
    });

    it('refetches the JWKS when a token names an unknown kid (key rotation), and accepts the new key', async () => {
      await call('GET', '/api/users/me', { headers: await bearer(['customer']) }); // keys cached
      const fetchesBefore = issuer.jwksFetches;
      await issuer.rotate();
      const answer = await call('GET', '/api/users/me', {
        headers: await bearer(['customer'], 'user-rotated'),
      });
      expect(answer.status).toBe(200);
      expect(answer.body.headers['x-shop-user-id']).toBe('user-rotated');
      expect(issuer.jwksFetches).toBe(fetchesBefore + 1);
      // A kid that is published nowhere is still refused after the refetch.
      const unknown = await issuer.token({ sub: 'u', roles: [] }, { unpublishedKey: true });
      expect(
        (await call('GET', '/api/users/me', { headers: { authorization: `Bearer ${unknown}` } })).status,
      ).toBe(401);
    });

    it('keeps product writes and restock for admins: 401 anonymous, 403 customer, through for admin', async () => {
      const body = '{"sku":"kit-1"}';
      const json = { 'content-type': 'application/json' };
      expect((await call('POST', '/api/products', { headers: json, body })).status).toBe(401);
      const customer = await call('POST', '/api/products', {
        headers: { ...json, ...(await bearer(['customer'])) },
        body,
      });
      expect(customer.status).toBe(403);
      expect(customer.body.error).toEqual({ code: 'FORBIDDEN', message: 'This needs the role admin' });
      const restock = await call('POST', '/api/inventory/sku-1/restock', {
        headers: { ...json, ...(await bearer(['customer'])) },
        body: '{"quantity":1}',
      });
      expect(restock.status).toBe(403);
      const admin = await call('POST', '/api/products', {
        headers: { ...json, ...(await bearer(['customer', 'admin'], 'admin-1')) },
        body,
      });
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({ server: 'catalog', method: 'POST', url: '/products', body });
    });
  });

  describe('identity and forwarded headers', () => {
    it('strips client-sent identity headers and sets signed ones the services verify', async () => {
      const forged = {
        'x-shop-user-id': 'admin-1',
        'x-shop-user-roles': 'admin',
        'x-shop-identity-signature': 'forged',
      };
      const answer = await call('GET', '/api/orders/42', {
        headers: { ...forged, ...(await bearer(['customer'], 'user-7')) },
      });
      expect(answer.status).toBe(200);
      const seen = answer.body.headers;
      expect(verifyIdentity(seen, TEST_IDENTITY_SECRET)).toEqual({
        ok: true,
        identity: { userId: 'user-7', roles: ['customer'] },
      });
      expect(seen).not.toHaveProperty('authorization');

      const anonymous = await call('GET', '/api/products', { headers: forged });
      expect(Object.keys(anonymous.body.headers).filter((h) => h.startsWith('x-shop-'))).toEqual([]);
    });

    it('passes the request id and W3C trace context on, sets x-forwarded-*, drops hop-by-hop headers', async () => {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      // node:http, because fetch refuses to send a Connection header
      const answer = await rawGet(gateway.url, '/api/products/9', {
        'x-request-id': 'req-abc-1',
        traceparent,
        tracestate: 'vendor=1',
        'x-forwarded-for': '6.6.6.6',
        connection: 'keep-alive, x-private-hop',
        'x-private-hop': 'secret',
      });
      expect(answer.headers['x-request-id']).toBe('req-abc-1');
      const seen = JSON.parse(answer.body).headers;
      expect(seen).toMatchObject({
        'x-request-id': 'req-abc-1',
        traceparent,
        tracestate: 'vendor=1',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
      });
      expect(seen['x-forwarded-host']).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(seen).not.toHaveProperty('x-private-hop');

      const generated = await call('GET', '/api/products/9');
      expect(generated.body.headers['x-request-id']).toBe(generated.headers.get('x-request-id'));
    });
  });

  describe('payloads', () => {
    it('answers 413 for a body over the limit, declared or streamed chunked, and streams bodies within it', async () => {
      const json = { 'content-type': 'application/json', ...(await bearer(['customer'])) };
      const big = JSON.stringify({ pad: 'x'.repeat(2_000) });
      const declared = await call('POST', '/api/orders', { headers: json, body: big });
      expect(declared.status).toBe(413);
      expect(declared.body.error.code).toBe('PAYLOAD_TOO_LARGE');

      const chunked = await postChunked(gateway.url, '/api/orders', json, [
        '{"pad":"',
        'y'.repeat(600),
        'y'.repeat(600),
        '"}',
      ]);
      expect(chunked.status).toBe(413);

      const small = await postChunked(gateway.url, '/api/orders', json, ['{"lines":', '[1]}']);
      expect(small.status).toBe(200);
      expect(JSON.parse(small.body)).toMatchObject({ server: 'order', body: '{"lines":[1]}' });
    });
  });

  describe('own endpoints', () => {
    it('serves the OpenAPI document, health probes and metrics', async () => {
      const openapi = await call('GET', '/api/openapi.json');
      expect(openapi.status).toBe(200);
      expect(openapi.body.openapi).toBe('3.1.0');
      expect(openapi.body.paths['/api/products'].get['x-gateway-route']).toBe('products-browse');
      expect((await call('GET', '/health/live')).status).toBe(200);
      const ready = await call('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info.upstreams.catalog).toMatchObject({ available: 1 });
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toContain('gateway_upstream_request_duration_seconds_bucket');
      expect(metrics).toMatch(
        /gateway_upstream_instances\{[^}]*upstream="catalog"[^}]*state="available"[^}]*\} 1/,
      );
      expect(metrics).toMatch(/breaker_state\{[^}]*breaker="catalog@127\.0\.0\.1:\d+"[^}]*\} 0/);
    });
  });
});

function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'GET', headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function postChunked(
  base: string,
  path: string,
  headers: Record<string, string>,
  chunks: string[],
): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { ...headers, 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', (err) => reject(err));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
