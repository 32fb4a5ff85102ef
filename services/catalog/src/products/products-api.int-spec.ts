import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import type { Page } from '../domain/pagination';
import {
  adminHeaders,
  call,
  customerHeaders,
  startCatalog,
  type LooseJson,
  type RunningCatalog,
} from '../test-support/start-catalog';
import { productCacheKey } from './shared/product-cache';
import type { ProductView } from './shared/product-view';

/** The HTTP API on a real Postgres and Redis (and Kafka for the relay and the cache consumer). */
describe('catalog HTTP API', () => {
  let env: TestEnvironment;
  let catalog: RunningCatalog;
  let pool: ReturnType<TestEnvironment['postgres']['pool']>;
  const admin = adminHeaders();

  beforeAll(async () => {
    env = await createTestEnvironment('catalog-api', {
      postgres: migrationsOf('catalog'),
      redis: true,
      kafka: true,
    });
    catalog = await startCatalog({
      ...serviceInfrastructure(env),
      eventsTopic: await env.kafka.topic('catalog-events'),
      cacheGroup: env.kafka.groupId('cache'),
    });
    pool = env.postgres.pool({ max: 2 });
  });
  afterAll(async () => {
    await catalog?.app.close();
    await env?.dispose();
  });

  const api = <T = LooseJson>(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ) => call<T>(catalog.url, method, path, options);
  let skuCounter = 0;
  const newProduct = (overrides: Record<string, unknown> = {}) => ({
    sku: `TST-${++skuCounter}`,
    name: `Test product ${skuCounter}`,
    description: 'For the API tests',
    priceCents: 1999,
    currency: 'EUR',
    ...overrides,
  });
  const create = async (overrides: Record<string, unknown> = {}): Promise<ProductView> => {
    const answer = await api<ProductView>('POST', '/products', {
      body: newProduct(overrides),
      headers: admin,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  };
  /**
   * Waits until every event so far went through the relay and the cache consumer, so
   * an earlier event's invalidation cannot land in the middle of a cache assertion.
   */
  const eventsSettled = () =>
    waitFor(async () => {
      const [row] = await catalogSql<{ pending: number }>(
        `SELECT (SELECT count(*)::int FROM outbox) - (SELECT count(*)::int FROM inbox WHERE consumer_group = $1) AS pending`,
        [catalog.config.CATALOG_CACHE_GROUP],
      );
      return row!.pending === 0;
    });
  const catalogSql = async <R>(text: string, params: unknown[] = []): Promise<R[]> =>
    (await pool.query(text, params)).rows as R[];
  const cachedProduct = async (id: string): Promise<ProductView | null> => {
    const raw = await env.redis.client().get(`cache:{${productCacheKey(id)}}`);
    return raw === null ? null : (JSON.parse(raw) as ProductView);
  };

  describe('writes', () => {
    it('creates an active product at version 1 with normalized SKU and currency', async () => {
      const answer = await api('POST', '/products', {
        body: { sku: ' kit mug 7 ', name: ' Stoneware Mug ', priceCents: 1250, currency: 'eur' },
        headers: admin,
      });
      expect(answer).toEqual({
        status: 201,
        body: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          sku: 'KIT-MUG-7',
          name: 'Stoneware Mug',
          description: '',
          priceCents: 1250,
          currency: 'EUR',
          status: 'active',
          version: 1,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      });
      expect((await api('GET', `/products/${answer.body.id}`)).body).toEqual(answer.body);
    });

    it('updates name and price (one version per change) and discontinues once', async () => {
      const product = await create();
      const updated = await api('PATCH', `/products/${product.id}`, {
        body: { name: 'Renamed', priceCents: 2500 },
        headers: admin,
      });
      expect(updated).toMatchObject({ status: 200, body: { name: 'Renamed', priceCents: 2500, version: 3 } });
      const discontinued = await api('POST', `/products/${product.id}/discontinue`, { headers: admin });
      expect(discontinued).toMatchObject({ status: 200, body: { status: 'discontinued', version: 4 } });
      const again = await api('POST', `/products/${product.id}/discontinue`, { headers: admin });
      expect(again).toMatchObject({ status: 200, body: { status: 'discontinued', version: 4 } });
    });

    it('answers a price change at once although the product was cached (the entry is invalidated)', async () => {
      const product = await create({ priceCents: 1000 });
      await eventsSettled();
      expect((await api('GET', `/products/${product.id}`)).body.priceCents).toBe(1000);
      expect(await cachedProduct(product.id)).toMatchObject({ priceCents: 1000, version: 1 });

      const patched = await api('PATCH', `/products/${product.id}`, {
        body: { priceCents: 1500 },
        headers: admin,
      });
      expect(patched.status).toBe(200);
      expect(await cachedProduct(product.id)).toBeNull(); // dropped by the write, before anyone read

      expect((await api('GET', `/products/${product.id}`)).body).toMatchObject({
        priceCents: 1500,
        version: 2,
      });
      expect(await cachedProduct(product.id)).toMatchObject({ priceCents: 1500, version: 2 });
    });

    it('serves reads from the cache: a change behind the service’s back stays invisible until invalidation', async () => {
      const product = await create({ priceCents: 700 });
      await eventsSettled();
      await api('GET', `/products/${product.id}`);
      await catalogSql('UPDATE products SET name = $2 WHERE id = $1::uuid', [product.id, 'Changed in SQL']);
      expect((await api('GET', `/products/${product.id}`)).body.name).toBe(product.name);
    });
  });

  describe('errors in the shared shape', () => {
    it('answers 409 for a duplicate SKU, also when written differently', async () => {
      const product = await create({ sku: 'DUP-1' });
      for (const sku of ['DUP-1', ' dup 1 ', 'dup_1']) {
        expect(await api('POST', '/products', { body: newProduct({ sku }), headers: admin })).toEqual({
          status: 409,
          body: { error: { code: 'CONFLICT', message: `A product with SKU ${product.sku} already exists` } },
        });
      }
    });

    it.each([
      ['a negative price', { priceCents: -100 }, 'priceCents', 'must be greater than 0'],
      ['a zero price', { priceCents: 0 }, 'priceCents', 'must be greater than 0'],
      ['a fractional price', { priceCents: 12.5 }, 'priceCents', 'must be an integer number of cents'],
      [
        'an unknown currency',
        { currency: 'XYZ' },
        'currency',
        'must be an ISO 4217 currency code (e.g. EUR)',
      ],
      [
        'a 4-letter currency',
        { currency: 'EURO' },
        'currency',
        'must be an ISO 4217 currency code (e.g. EUR)',
      ],
      ['a malformed SKU', { sku: '#1' }, 'sku', expect.stringContaining('must be 2-64 characters')],
      ['an empty name', { name: '  ' }, 'name', 'must not be empty'],
    ])('answers 400 for %s', async (_case, overrides, path, message) => {
      expect(await api('POST', '/products', { body: newProduct(overrides), headers: admin })).toEqual({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The product is not valid',
            details: { issues: [{ path, message }] },
          },
        },
      });
    });

    it('answers 400 for a price of the wrong type and unknown fields', async () => {
      const typed = await api('POST', '/products', {
        body: newProduct({ priceCents: '12' }),
        headers: admin,
      });
      expect(typed).toMatchObject({
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'priceCents' }] } } },
      });
      const extra = await api('POST', '/products', { body: newProduct({ stock: 4 }), headers: admin });
      expect(extra.status).toBe(400);
    });

    it('answers 400 for a negative price in an update, leaving the product as it was', async () => {
      const product = await create();
      const answer = await api('PATCH', `/products/${product.id}`, {
        body: { priceCents: -1 },
        headers: admin,
      });
      expect(answer).toMatchObject({
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'priceCents' }] } } },
      });
      expect((await api('GET', `/products/${product.id}`)).body.priceCents).toBe(product.priceCents);
    });

    it('answers 404 for an unknown id on every route', async () => {
      const id = '0193a1b2-0000-7000-8000-00000000ffff';
      const notFound = {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: `Product ${id} not found` } },
      };
      expect(await api('GET', `/products/${id}`)).toEqual(notFound);
      expect(await api('PATCH', `/products/${id}`, { body: { priceCents: 5 }, headers: admin })).toEqual(
        notFound,
      );
      expect(await api('POST', `/products/${id}/discontinue`, { headers: admin })).toEqual(notFound);
    });

    it('answers 400 for a malformed id', async () => {
      const answer = await api('GET', '/products/not-a-uuid');
      expect(answer).toEqual({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The path parameters are not valid',
            details: { issues: [{ path: 'id', message: 'must be a UUID' }] },
          },
        },
      });
      expect((await api('PATCH', '/products/42', { body: { name: 'x' }, headers: admin })).status).toBe(400);
    });

    it('answers 403 to a customer and 401 without identity on every admin route, changing nothing', async () => {
      const product = await create();
      const customer = customerHeaders();
      const attempts: [string, string, unknown][] = [
        ['POST', '/products', newProduct()],
        ['PATCH', `/products/${product.id}`, { priceCents: 1 }],
        ['POST', `/products/${product.id}/discontinue`, undefined],
      ];
      for (const [method, path, body] of attempts) {
        expect(await api(method, path, { body, headers: customer })).toEqual({
          status: 403,
          body: { error: { code: 'FORBIDDEN', message: 'This needs the role admin' } },
        });
        expect(await api(method, path, { body })).toEqual({
          status: 401,
          body: { error: { code: 'UNAUTHORIZED', message: 'Authentication required' } },
        });
      }
      expect((await api('GET', `/products/${product.id}`)).body).toEqual(product);
    });

    it('answers 409 for a stale expectedVersion and for repricing a discontinued product', async () => {
      const product = await create();
      await api('PATCH', `/products/${product.id}`, { body: { name: 'v2' }, headers: admin });
      const stale = await api('PATCH', `/products/${product.id}`, {
        body: { name: 'v3', expectedVersion: 1 },
        headers: admin,
      });
      expect(stale).toMatchObject({
        status: 409,
        body: { error: { code: 'CONFLICT', details: { currentVersion: 2 } } },
      });
      const fresh = await api('PATCH', `/products/${product.id}`, {
        body: { name: 'v3', expectedVersion: 2 },
        headers: admin,
      });
      expect(fresh).toMatchObject({ status: 200, body: { name: 'v3', version: 3 } });

      await api('POST', `/products/${product.id}/discontinue`, { headers: admin });
      const reprice = await api('PATCH', `/products/${product.id}`, {
        body: { priceCents: 5 },
        headers: admin,
      });
      expect(reprice).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
    });
  });

  describe('list, filters, search and pagination', () => {
    // A word only these products have, so other tests' products do not interfere.
    const names = [
      'Zephyr Blue Mug',
      'Zephyr Red Mug',
      'Zephyr Blue Teapot',
      'Zephyr Oak Board',
      'Zephyr Steel Pan',
      'Zephyr Wool Hat',
      'Zephyr Glass Jar',
    ];
    const prices = [500, 900, 1500, 2500, 3000, 4500, 9900];
    let created: ProductView[];

    beforeAll(async () => {
      created = [];
      for (const [i, name] of names.entries()) created.push(await create({ name, priceCents: prices[i] }));
      await api('POST', `/products/${created[6]!.id}/discontinue`, { headers: admin });
    });

    const list = async (query: string) => {
      const answer = await api<Page<ProductView>>('GET', `/products?${query}`);
      expect(answer.status).toBe(200);
      return answer.body;
    };
    const namesOf = (page: Page<ProductView>) => page.items.map((p) => p.name);

    it('pages through the results in name order without overlap or gaps', async () => {
      const pages = await Promise.all([1, 2, 3, 4].map((page) => list(`search=zephyr&limit=3&page=${page}`)));
      expect(pages.map((p) => [p.page, p.limit, p.total, p.items.length])).toEqual([
        [1, 3, 7, 3],
        [2, 3, 7, 3],
        [3, 3, 7, 1],
        [4, 3, 7, 0],
      ]);
      expect(pages.flatMap(namesOf)).toEqual([...names].sort());
    });

    it('finds products by every word, as prefixes, in name or description, case-insensitively', async () => {
      expect(namesOf(await list('search=ZEPH%20blu'))).toEqual(
        expect.arrayContaining(['Zephyr Blue Mug', 'Zephyr Blue Teapot']),
      );
      expect((await list('search=zeph%20blu')).total).toBe(2);
      expect((await list('search=zephyr%20mug')).total).toBe(2);
      expect((await list('search=tests%20zephyr%20jar')).total).toBe(1); // "tests" is in the description
      expect((await list('search=zephyr%20nothing')).total).toBe(0);
      expect((await list("search=zephyr%20%26%20!(:*')")).total).toBe(7); // operators are not syntax
    });

    it('finds a product by its own name when the name holds codes and punctuation', async () => {
      // Postgres' parser reads 'X-12345678' as a signed integer and '1E5ABCDE' as 1e5 + ABCDE.
      const codes = ['Xylo E2E-12345678', 'Xylo X-1E5ABCDE', 'Xylo USB-C 2.5m cable', 'Xylo v1.2-beta'];
      const ids = [];
      for (const name of codes) ids.push((await create({ name, priceCents: 700 })).id);
      for (const [i, name] of codes.entries()) {
        const found = await list(`search=${encodeURIComponent(name)}`);
        expect({ name, ids: found.items.map((p) => p.id) }).toEqual({ name, ids: [ids[i]] });
      }
      expect((await list('search=xylo%20e2e-1234')).total).toBe(1);
      expect((await list('search=xylo%201e5ab')).total).toBe(1);
    });

    it('filters by status and by price range (inclusive)', async () => {
      expect(namesOf(await list('search=zephyr&status=discontinued'))).toEqual(['Zephyr Glass Jar']);
      expect((await list('search=zephyr&status=active')).total).toBe(6);
      expect(namesOf(await list('search=zephyr&minPriceCents=900&maxPriceCents=2500'))).toEqual([
        'Zephyr Blue Teapot',
        'Zephyr Oak Board',
        'Zephyr Red Mug',
      ]);
      expect((await list('search=zephyr&minPriceCents=4500&status=active')).total).toBe(1);
    });

    it('shows a price change in a cached list page at once', async () => {
      const query = 'search=zephyr&maxPriceCents=600';
      await eventsSettled();
      expect(namesOf(await list(query))).toEqual(['Zephyr Blue Mug']);
      const keys = await env.redis.client().keys(`${env.redis.keyPrefix}cache:{products:list:*`);
      expect(keys.length).toBeGreaterThan(0);
      await api('PATCH', `/products/${created[1]!.id}`, { body: { priceCents: 550 }, headers: admin });
      expect(namesOf(await list(query))).toEqual(['Zephyr Blue Mug', 'Zephyr Red Mug']);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['page=0', 'page'],
      ['status=gone', 'status'],
      ['minPriceCents=-1', 'minPriceCents'],
      ['minPriceCents=500&maxPriceCents=100', 'minPriceCents'],
    ])('answers 400 for %s', async (query, path) => {
      expect(await api('GET', `/products?${query}`)).toMatchObject({
        status: 400,
        body: { error: { code: 'VALIDATION_FAILED', details: { issues: [{ path }] } } },
      });
    });
  });

  describe('with Redis down', () => {
    let withoutRedis: RunningCatalog;

    beforeAll(async () => {
      withoutRedis = await startCatalog({
        databaseUrl: env.postgres.url,
        redisUrl: 'redis://127.0.0.1:1', // nothing listens there
        redisKeyPrefix: env.redis.keyPrefix,
        kafkaBrokers: env.kafka.brokers,
        eventsTopic: await env.kafka.topic('no-redis-events'),
        cacheGroup: env.kafka.groupId('no-redis-cache'),
      });
    });
    afterAll(() => withoutRedis?.app.close());

    it('still reads products and lists, and still writes', async () => {
      const product = await create({ name: 'Quokka Lamp', priceCents: 4200 });
      const noRedis = <T = LooseJson>(
        method: string,
        path: string,
        options?: { body?: unknown; headers?: Record<string, string> },
      ) => call<T>(withoutRedis.url, method, path, options);

      expect(await noRedis('GET', `/products/${product.id}`)).toEqual({ status: 200, body: product });
      expect((await noRedis('GET', '/products?search=quokka')).body).toMatchObject({
        total: 1,
        items: [product],
      });

      const patched = await noRedis('PATCH', `/products/${product.id}`, {
        body: { priceCents: 4300 },
        headers: admin,
      });
      expect(patched).toMatchObject({ status: 200, body: { priceCents: 4300 } });
      expect((await noRedis('GET', `/products/${product.id}`)).body.priceCents).toBe(4300);
      expect((await noRedis('GET', '/products/0193a1b2-0000-7000-8000-00000000fffe')).status).toBe(404);
    });
  });
});
