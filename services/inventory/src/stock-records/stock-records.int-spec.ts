import { ProductPriceChangedV1, TOPICS, uuidv7, type MessageEnvelope } from '@shop/contracts';
import type { KafkaMessaging } from '@shop/messaging';
import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import { InventoryDatabase } from '../infrastructure/inventory-database';
import {
  commitStock,
  productCreated,
  productDiscontinued,
  reserveStock,
  stockOf,
  testMessaging,
} from '../test-support/inventory-test-kit';
import {
  adminHeaders,
  call,
  customerHeaders,
  recordTopics,
  startInventory,
  type RunningInventory,
  type TopicRecorder,
} from '../test-support/start-inventory';

jest.setTimeout(120_000);

/** Stock records from catalog events, the restock and read endpoints, with a dedicated dev broker. */
describe('stock records and the inventory API', () => {
  let env: TestEnvironment;
  let inventory: RunningInventory;
  let messaging: KafkaMessaging;
  let replies: TopicRecorder;
  let database: InventoryDatabase;
  const admin = adminHeaders();
  const customer = customerHeaders();

  beforeAll(async () => {
    env = await createTestEnvironment('inventory-stock-records', {
      postgres: migrationsOf('inventory'),
      redis: true,
      kafka: { dedicatedBroker: true },
    });
    inventory = await startInventory({
      ...serviceInfrastructure(env),
    });
    messaging = testMessaging(env.kafka.brokers);
    replies = await recordTopics(env.kafka.client('observer'), env.kafka.groupId('observer'), [
      TOPICS.inventoryEvents.name,
    ]);
    database = new InventoryDatabase(env.postgres.url);
  });
  afterAll(async () => {
    await replies?.stop();
    await messaging?.close();
    await database?.onApplicationShutdown();
    await inventory?.app.close();
    await env?.dispose();
  });

  const applied = async (events: readonly MessageEnvelope[]) => {
    const ids = [...new Set(events.map((e) => e.id))];
    const rows = await database.sql.query(
      `SELECT 1 FROM inbox WHERE consumer_group = 'inventory-catalog-replica' AND message_id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.length === ids.length;
  };

  async function publishAndWait(events: MessageEnvelope[]): Promise<void> {
    await messaging.publisher.publish(events);
    await waitFor(() => applied(events), { describe: () => 'catalog events not all applied' });
  }

  async function restocked(productId: string, quantity: number) {
    const answer = await call(inventory.url, 'POST', `/inventory/${productId}/restock`, {
      body: { quantity },
      headers: admin,
    });
    expect(answer.status).toBe(200);
    return answer.body;
  }

  describe('replica of the catalog', () => {
    it('creates a stock record with 0 units from ProductCreated, and keeps counts through later product events', async () => {
      const created = productCreated();
      const { productId, sku } = created.payload;
      await publishAndWait([created, created]); // the copy is skipped by the inbox
      expect(await stockOf(database.sql, productId)).toEqual({
        productId,
        sku,
        productStatus: 'active',
        productVersion: 1,
        available: 0,
        reserved: 0,
        sold: 0,
        restocked: 0,
      });
      expect(
        (await call(inventory.url, 'GET', `/inventory/${productId}`, { headers: customer })).body,
      ).toEqual({
        productId,
        available: 0,
        reserved: 0,
        sold: 0,
        restocked: 0,
      });

      await restocked(productId, 4);
      await publishAndWait([
        ProductPriceChangedV1.create({
          source: 'catalog',
          aggregateId: productId,
          aggregateVersion: 2,
          payload: { ...created.payload, priceCents: 1500, previousPriceCents: 1000, version: 2 },
        }),
      ]);
      expect(await stockOf(database.sql, productId)).toMatchObject({
        productVersion: 2,
        available: 4,
        restocked: 4,
      });
    });

    it('ignores a stale product version (an old event replayed after a newer one)', async () => {
      const created = productCreated();
      const { productId, sku } = created.payload;
      await publishAndWait([created, productDiscontinued(productId, 3, sku)]);
      // Version 1 again (another message id, e.g. a replay from a dead-letter topic), and version 2 late.
      await publishAndWait([
        productCreated(productId, 1, 'STALE-SKU'),
        ProductPriceChangedV1.create({
          source: 'catalog',
          aggregateId: productId,
          aggregateVersion: 2,
          payload: { ...created.payload, sku: 'STALE-2', previousPriceCents: 1000, version: 2 },
        }),
      ]);
      expect(await stockOf(database.sql, productId)).toMatchObject({
        sku,
        productStatus: 'discontinued',
        productVersion: 3,
      });
    });

    it('creates the record from any product event (the snapshot is complete)', async () => {
      const productId = uuidv7();
      await publishAndWait([productDiscontinued(productId, 2, 'LATE-JOINER')]);
      expect(await stockOf(database.sql, productId)).toMatchObject({
        productStatus: 'discontinued',
        productVersion: 2,
        available: 0,
      });
    });

    it('refuses new reservations of discontinued and unknown products (UNKNOWN_PRODUCT), existing ones still commit', async () => {
      const created = productCreated();
      const { productId, sku } = created.payload;
      await publishAndWait([created]);
      await restocked(productId, 10);
      const before = uuidv7();
      await messaging.publisher.publish(reserveStock(before, [{ productId, quantity: 3 }]));
      await waitFor(() => replies.of('StockReserved', before).length > 0);

      await publishAndWait([productDiscontinued(productId, 2, sku)]);
      const after = uuidv7();
      const unknownProduct = uuidv7();
      const unknownOrder = uuidv7();
      await messaging.publisher.publish([
        reserveStock(after, [{ productId, quantity: 1 }]),
        reserveStock(unknownOrder, [{ productId: unknownProduct, quantity: 1 }]),
        commitStock(before),
      ]);
      await waitFor(
        () =>
          replies.of('StockReservationFailed', after).length > 0 &&
          replies.of('StockReservationFailed', unknownOrder).length > 0 &&
          replies.of('StockCommitted', before).length > 0,
      );
      expect(replies.of('StockReservationFailed', after)[0]!.payload).toEqual({
        orderId: after,
        reason: 'UNKNOWN_PRODUCT',
        shortages: [{ productId, requested: 1, available: 0 }],
      });
      expect(replies.of('StockReservationFailed', unknownOrder)[0]!.payload.reason).toBe('UNKNOWN_PRODUCT');
      expect(await stockOf(database.sql, productId)).toMatchObject({ available: 7, reserved: 0, sold: 3 });
    });
  });

  describe('POST /inventory/:productId/restock', () => {
    let productId: string;
    beforeAll(async () => {
      const created = productCreated();
      productId = created.payload.productId;
      await publishAndWait([created]);
    });
    const restock = (body: unknown, headers: Record<string, string> = admin, id = productId) =>
      call(inventory.url, 'POST', `/inventory/${id}/restock`, { body, headers });

    it('adds units to available and restocked', async () => {
      const before = (await stockOf(database.sql, productId))!;
      const answer = await restock({ quantity: 25 });
      expect(answer).toEqual({
        status: 200,
        body: {
          productId,
          available: before.available + 25,
          reserved: before.reserved,
          sold: before.sold,
          restocked: before.restocked + 25,
        },
      });
    });

    it.each([
      ['zero', { quantity: 0 }, 'must be at least 1'],
      ['negative', { quantity: -3 }, 'must be at least 1'],
      ['fractional', { quantity: 1.5 }, 'must be a whole number'],
      ['a string', { quantity: '3' }, undefined],
      ['above the maximum', { quantity: 100_001 }, 'must be at most 100000'],
      ['missing', {}, undefined],
      ['with unknown fields', { quantity: 1, note: 'x' }, undefined],
    ])('answers 400 VALIDATION_FAILED for a quantity %s, changing nothing', async (_, body, message) => {
      const before = await stockOf(database.sql, productId);
      const answer = await restock(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
      expect(answer.body.error.details.issues).toEqual(
        expect.arrayContaining([expect.objectContaining(message ? { message } : {})]),
      );
      expect(await stockOf(database.sql, productId)).toEqual(before);
    });

    it('answers 400 for malformed JSON and a malformed product id, 404 for an unknown product', async () => {
      const malformed = await call(inventory.url, 'POST', `/inventory/${productId}/restock`, {
        rawBody: '{"quantity":',
        headers: admin,
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('BAD_REQUEST');

      const badId = await restock({ quantity: 1 }, admin, 'not-a-uuid');
      expect(badId.status).toBe(400);
      expect(badId.body.error.details.issues).toEqual([{ path: 'productId', message: 'must be a UUID' }]);

      const unknown = await restock({ quantity: 1 }, admin, uuidv7());
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
    });

    it('answers 401 without identity and 403 for a customer, changing nothing', async () => {
      const before = await stockOf(database.sql, productId);
      const anonymous = await restock({ quantity: 1 }, {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHORIZED');
      const byCustomer = await restock({ quantity: 1 }, customer);
      expect(byCustomer.status).toBe(403);
      expect(byCustomer.body.error.code).toBe('FORBIDDEN');
      expect(await stockOf(database.sql, productId)).toEqual(before);
    });

    it('applies a restock retried with the same Idempotency-Key once, even when the retries are concurrent', async () => {
      const before = (await stockOf(database.sql, productId))!;
      const key = `restock-${uuidv7()}`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => restock({ quantity: 7 }, { ...admin, 'idempotency-key': key })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
      for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
      expect(answers[0]!.body).toMatchObject({
        available: before.available + 7,
        restocked: before.restocked + 7,
      });
      const again = await restock({ quantity: 7 }, { ...admin, 'idempotency-key': key });
      expect(again.body).toEqual(answers[0]!.body);
      expect(await stockOf(database.sql, productId)).toMatchObject({ restocked: before.restocked + 7 });

      // Without a key, each request is a new restock.
      await restock({ quantity: 1 });
      await restock({ quantity: 1 });
      expect(await stockOf(database.sql, productId)).toMatchObject({ restocked: before.restocked + 9 });
    });

    it('refuses a key reused for another restock (422) and a malformed key (400)', async () => {
      const key = `restock-${uuidv7()}`;
      expect((await restock({ quantity: 2 }, { ...admin, 'idempotency-key': key })).status).toBe(200);
      const before = await stockOf(database.sql, productId);

      const otherQuantity = await restock({ quantity: 3 }, { ...admin, 'idempotency-key': key });
      expect(otherQuantity.status).toBe(422);
      expect(otherQuantity.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const other = productCreated();
      await publishAndWait([other]);
      const otherProduct = await restock(
        { quantity: 2 },
        { ...admin, 'idempotency-key': key },
        other.payload.productId,
      );
      expect(otherProduct.status).toBe(422);

      const malformed = await restock({ quantity: 2 }, { ...admin, 'idempotency-key': 'has spaces in it' });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.details.issues[0].path).toBe('Idempotency-Key');
      expect(await stockOf(database.sql, productId)).toEqual(before);
      expect(await stockOf(database.sql, other.payload.productId)).toMatchObject({ restocked: 0 });
    });

    it('lets a key that failed (unknown product) be used again once the product exists', async () => {
      const key = `restock-${uuidv7()}`;
      const later = productCreated();
      const missing = await restock(
        { quantity: 4 },
        { ...admin, 'idempotency-key': key },
        later.payload.productId,
      );
      expect(missing.status).toBe(404);
      await publishAndWait([later]);
      const answer = await restock(
        { quantity: 4 },
        { ...admin, 'idempotency-key': key },
        later.payload.productId,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ available: 4, restocked: 4 });
    });
  });

  describe('reads', () => {
    it('GET /inventory/:productId: 401 anonymous, 400 malformed id, 404 unknown', async () => {
      expect((await call(inventory.url, 'GET', `/inventory/${uuidv7()}`)).status).toBe(401);
      const malformed = await call(inventory.url, 'GET', '/inventory/123', { headers: customer });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
      const unknown = await call(inventory.url, 'GET', `/inventory/${uuidv7()}`, { headers: customer });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    });

    it('admin views list a product reservations, one order reservation, and alerts; customers get 403', async () => {
      const created = productCreated();
      const { productId } = created.payload;
      await publishAndWait([created]);
      await restocked(productId, 5);
      const orderId = uuidv7();
      await messaging.publisher.publish(reserveStock(orderId, [{ productId, quantity: 2 }]));
      await waitFor(() => replies.of('StockReserved', orderId).length > 0);

      const list = await call(inventory.url, 'GET', `/inventory/${productId}/reservations?status=RESERVED`, {
        headers: admin,
      });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({
        productId,
        items: [
          {
            orderId,
            reservationId: replies.of('StockReserved', orderId)[0]!.payload.reservationId,
            status: 'RESERVED',
            quantity: 2,
            expiresAt: expect.any(String),
            updatedAt: expect.any(String),
          },
        ],
      });
      const one = await call(inventory.url, 'GET', `/inventory/reservations/${orderId}`, { headers: admin });
      expect(one.body).toMatchObject({
        orderId,
        status: 'RESERVED',
        items: [{ productId, quantity: 2 }],
        version: 1,
      });
      expect(
        (await call(inventory.url, 'GET', `/inventory/reservations/${uuidv7()}`, { headers: admin })).status,
      ).toBe(404);
      expect((await call(inventory.url, 'GET', '/inventory/alerts', { headers: admin })).body).toEqual({
        items: [],
      });
      const badStatus = await call(inventory.url, 'GET', `/inventory/${productId}/reservations?status=NOPE`, {
        headers: admin,
      });
      expect(badStatus.status).toBe(400);
      for (const path of [
        `/inventory/${productId}/reservations`,
        `/inventory/reservations/${orderId}`,
        '/inventory/alerts',
      ])
        expect((await call(inventory.url, 'GET', path, { headers: customer })).status).toBe(403);
    });
  });
});
