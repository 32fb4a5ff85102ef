import { catalogEvents, MessageRegistry, type MessageEnvelope } from '@shop/contracts';
import { OutboxWriter } from '@shop/messaging';
import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import type { Consumer } from 'kafkajs';
import { changeProduct } from '../domain/product';
import { CatalogDatabase } from '../infrastructure/catalog-database';
import { generateCatalog } from '../seed/catalog-generator';
import { seedCatalog } from '../seed/seed-catalog';
import { adminHeaders, call, startCatalog, type RunningCatalog } from '../test-support/start-catalog';
import { productCacheKey } from './shared/product-cache';
import { ProductStore } from './shared/product-store';
import type { ProductView } from './shared/product-view';

interface Received {
  key: string;
  envelope: MessageEnvelope<Record<string, unknown>>;
}

/** Product events through the outbox, the relay and Kafka; the cache consumer; the seed. */
describe('catalog events', () => {
  let env: TestEnvironment;
  let catalog: RunningCatalog;
  let topic: string;
  let reader: Consumer;
  let database: CatalogDatabase;
  const received: Received[] = [];
  const admin = adminHeaders();

  beforeAll(async () => {
    env = await createTestEnvironment('catalog-events', {
      postgres: migrationsOf('catalog'),
      redis: true,
      kafka: true,
    });
    topic = await env.kafka.topic('catalog-events');
    catalog = await startCatalog({
      ...serviceInfrastructure(env),
      eventsTopic: topic,
      cacheGroup: env.kafka.groupId('cache'),
    });
    // A downstream consumer group (as order's price replica would be), reading the topic raw.
    reader = env.kafka
      .client('downstream')
      .consumer({ groupId: env.kafka.groupId('downstream'), maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key!.toString(), envelope: JSON.parse(message.value!.toString()) });
      },
    });
    database = new CatalogDatabase(env.postgres.url);
  });
  afterAll(async () => {
    await reader?.disconnect();
    await database?.onApplicationShutdown();
    await catalog?.app.close();
    await env?.dispose();
  });

  const eventsOf = (productId: string, type?: string) =>
    received.filter((r) => r.key === productId && (!type || r.envelope.type === type));
  const unpublished = async () =>
    (
      await database.sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      )
    )[0]!.n;
  const cachedProduct = async (id: string) => env.redis.client().get(`cache:{${productCacheKey(id)}}`);
  const inboxHas = async (messageId: string) =>
    (
      await database.sql.query('SELECT 1 FROM inbox WHERE message_id = $1::uuid AND consumer_group = $2', [
        messageId,
        catalog.config.CATALOG_CACHE_GROUP,
      ])
    ).length === 1;

  it('publishes ProductCreated exactly once, keyed by product id, with what replicas need', async () => {
    const created = await call<ProductView>(catalog.url, 'POST', '/products', {
      body: { sku: 'EVT-1', name: 'Event Mug', description: 'Blue', priceCents: 1299, currency: 'EUR' },
      headers: admin,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    await waitFor(async () => eventsOf(id).length > 0 && (await unpublished()) === 0, {
      describe: () => `events: ${JSON.stringify(received)}`,
    });
    expect(eventsOf(id)).toEqual([
      {
        key: id,
        envelope: {
          id: expect.any(String),
          type: 'ProductCreated',
          version: 1,
          source: 'catalog',
          occurredAt: expect.any(String),
          aggregateId: id,
          aggregateVersion: 1,
          correlationId: expect.any(String),
          causationId: null,
          payload: {
            productId: id,
            sku: 'EVT-1',
            name: 'Event Mug',
            description: 'Blue',
            priceCents: 1299,
            currency: 'EUR',
            status: 'active',
            version: 1,
          },
        },
      },
    ]);
    // It is a valid ProductCreated v1 for any consumer reading the contract.
    const read = new MessageRegistry([...catalogEvents(topic).all]).read(eventsOf(id)[0]!.envelope, 1);
    expect(read.ok).toBe(true);
    // And the catalog's own cache consumer processed it through its inbox.
    await waitFor(() => inboxHas(eventsOf(id)[0]!.envelope.id));
  });

  it('publishes ProductPriceChanged with the new and previous price, then ProductDiscontinued, in order', async () => {
    const created = await call<ProductView>(catalog.url, 'POST', '/products', {
      body: { sku: 'EVT-2', name: 'Event Pan', priceCents: 3000, currency: 'USD' },
      headers: admin,
    });
    const id = created.body.id;
    await call(catalog.url, 'PATCH', `/products/${id}`, { body: { priceCents: 3500 }, headers: admin });
    await call(catalog.url, 'POST', `/products/${id}/discontinue`, { headers: admin });

    await waitFor(() => eventsOf(id).length >= 3);
    expect(eventsOf(id).map((r) => [r.envelope.type, r.envelope.aggregateVersion])).toEqual([
      ['ProductCreated', 1],
      ['ProductPriceChanged', 2],
      ['ProductDiscontinued', 3],
    ]);
    expect(eventsOf(id, 'ProductPriceChanged')[0]!.envelope.payload).toEqual({
      productId: id,
      sku: 'EVT-2',
      name: 'Event Pan',
      priceCents: 3500,
      previousPriceCents: 3000,
      currency: 'USD',
      status: 'active',
      version: 2,
    });
    expect(eventsOf(id, 'ProductDiscontinued')[0]!.envelope.payload).toMatchObject({
      status: 'discontinued',
      version: 3,
    });
  });

  it('writes no event when a write fails (duplicate SKU) or changes nothing', async () => {
    const first = await call<ProductView>(catalog.url, 'POST', '/products', {
      body: { sku: 'EVT-3', name: 'Event Jar', priceCents: 800, currency: 'EUR' },
      headers: admin,
    });
    const duplicate = await call(catalog.url, 'POST', '/products', {
      body: { sku: 'evt 3', name: 'Other', priceCents: 900, currency: 'EUR' },
      headers: admin,
    });
    expect(duplicate.status).toBe(409);
    await call(catalog.url, 'PATCH', `/products/${first.body.id}`, {
      body: { priceCents: 800 },
      headers: admin,
    });
    const rows = await database.sql.query<{ type: string }>(
      'SELECT type FROM outbox WHERE key = $1 ORDER BY sequence',
      [first.body.id],
    );
    expect(rows.map((r) => r.type)).toEqual(['ProductCreated']);
    expect(
      await database.sql.query("SELECT 1 FROM outbox WHERE envelope->'payload'->>'name' = 'Other'"),
    ).toEqual([]);
  });

  it('invalidates the cached product from the event alone (a write that skipped the after-commit invalidation)', async () => {
    const created = await call<ProductView>(catalog.url, 'POST', '/products', {
      body: { sku: 'EVT-4', name: 'Event Lamp', priceCents: 5000, currency: 'EUR' },
      headers: admin,
    });
    const id = created.body.id;
    // ProductCreated's own invalidation must be over before the cache is filled and checked.
    await waitFor(() => eventsOf(id).length === 1);
    await waitFor(() => inboxHas(eventsOf(id)[0]!.envelope.id));
    await call(catalog.url, 'GET', `/products/${id}`);
    expect(JSON.parse((await cachedProduct(id))!)).toMatchObject({ priceCents: 5000 });

    // The store alone: row + outbox in one transaction, no invalidation by the writer.
    const events = catalogEvents(topic);
    const store = new ProductStore(
      database,
      new OutboxWriter({ registry: new MessageRegistry([...events.all]) }),
      events,
    );
    const now = new Date();
    await store.change(id, (product) => changeProduct(product, { priceCents: 5500 }, now));

    await waitFor(async () => (await cachedProduct(id)) === null, {
      describe: () => 'the cache entry is still there',
    });
    expect((await call<ProductView>(catalog.url, 'GET', `/products/${id}`)).body.priceCents).toBe(5500);
    await waitFor(() => eventsOf(id, 'ProductPriceChanged').length === 1);
    await waitFor(() => inboxHas(eventsOf(id, 'ProductPriceChanged')[0]!.envelope.id)); // through the inbox
  });

  it('seeds a generated catalog through the write path, idempotently, with one ProductCreated per product', async () => {
    const events = catalogEvents(topic);
    const store = new ProductStore(
      database,
      new OutboxWriter({ registry: new MessageRegistry([...events.all]) }),
      events,
    );
    const catalogSlice = generateCatalog(150);

    expect(await seedCatalog(database, store, catalogSlice)).toEqual({ created: 150, skipped: 0 });
    expect(await seedCatalog(database, store, catalogSlice)).toEqual({ created: 0, skipped: 150 });

    const [counts] = await database.sql.query<{ products: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM products WHERE sku LIKE '___-0____') AS products,
              (SELECT count(*)::int FROM outbox WHERE type = 'ProductCreated' AND envelope->'payload'->>'sku' LIKE '___-0____') AS events`,
    );
    expect(counts).toEqual({ products: 150, events: 150 });
    await waitFor(async () => (await unpublished()) === 0);
    const listed = await call<{ total: number }>(catalog.url, 'GET', '/products?search=kitchen&limit=1');
    expect(listed.body.total).toBe(25); // every 6th product is a kitchen product
  });
});
