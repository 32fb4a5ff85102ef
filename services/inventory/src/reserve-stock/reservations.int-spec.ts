import { TOPICS, uuidv7, type MessageEnvelope } from '@shop/contracts';
import type { KafkaMessaging } from '@shop/messaging';
import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import { InventoryDatabase } from '../infrastructure/inventory-database';
import {
  adminHeaders,
  call,
  customerHeaders,
  recordTopics,
  startInventory,
  type LooseJson,
  type RunningInventory,
  type TopicRecorder,
} from '../test-support/start-inventory';
import {
  commitStock,
  ledgerMismatches,
  productCreated,
  releaseStock,
  reserveStock,
  stockOf,
  testMessaging,
  type Item,
} from '../test-support/inventory-test-kit';

jest.setTimeout(180_000);

/**
 * Reserve / release / commit through Kafka, against two inventory instances
 * in one consumer group (so commands of different orders really run at the
 * same time, on two processes' connections), the real Postgres and a
 * dedicated dev broker.
 */
describe('stock reservations through Kafka', () => {
  let env: TestEnvironment;
  let instances: RunningInventory[] = [];
  let messaging: KafkaMessaging;
  let replies: TopicRecorder;
  let database: InventoryDatabase;
  const admin = adminHeaders();

  beforeAll(async () => {
    env = await createTestEnvironment('inventory-reservations', {
      postgres: migrationsOf('inventory'),
      redis: true,
      kafka: { dedicatedBroker: true },
    });
    const settings = {
      ...serviceInfrastructure(env),
    };
    // One after the other: two members joining a group at the same instant can make the dev broker
    // answer SyncGroup with an error kafkajs does not retry (see README, "Known limits").
    instances = [await startInventory(settings)];
    instances.push(await startInventory(settings));
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
    await Promise.all(instances.map((instance) => instance.app.close()));
    await env?.dispose();
  });

  /** Each reply once, however often the relay or a rebalance delivered it. */
  const repliesOf = (type: string, orderId?: string): MessageEnvelope<LooseJson>[] => {
    const seen = new Set<string>();
    return replies.of(type, orderId).filter((m) => !seen.has(m.id) && seen.add(m.id));
  };
  const anyInstance = (i: number) => instances[i % instances.length]!.url;

  async function newProduct(units: number): Promise<string> {
    const created = productCreated();
    await messaging.publisher.publish(created);
    const productId = created.payload.productId;
    await waitFor(async () => (await stockOf(database.sql, productId)) !== undefined);
    if (units > 0) {
      const restocked = await call(anyInstance(0), 'POST', `/inventory/${productId}/restock`, {
        body: { quantity: units },
        headers: admin,
      });
      expect(restocked.status).toBe(200);
    }
    return productId;
  }

  /** Reads the stock over HTTP until stopped, recording every read that breaks the invariant. */
  function watchStock(productIds: readonly string[]) {
    const violations: unknown[] = [];
    let reads = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        for (const productId of productIds) {
          const read = await call(anyInstance(reads), 'GET', `/inventory/${productId}`, {
            headers: customerHeaders(),
          });
          reads += 1;
          const { available, reserved, sold, restocked } = read.body;
          if (read.status !== 200 || available < 0 || restocked !== available + reserved + sold)
            violations.push(read);
        }
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return { violations, reads };
      },
    };
  }

  it('decides 50 concurrent orders for the last 10 units: exactly 10 reserved, 40 OUT_OF_STOCK, never negative', async () => {
    const productId = await newProduct(10);
    const orders = Array.from({ length: 50 }, () => uuidv7());
    const watcher = watchStock([productId]);

    await messaging.publisher.publish(
      orders.map((orderId) => reserveStock(orderId, [{ productId, quantity: 1 }])),
    );
    const answered = () =>
      orders.filter(
        (o) => repliesOf('StockReserved', o).length + repliesOf('StockReservationFailed', o).length > 0,
      );
    await waitFor(() => answered().length === 50, {
      timeoutMs: 90_000,
      describe: () => `${answered().length} of 50 orders answered`,
    });
    const { violations, reads } = await watcher.stop();

    const reserved = orders.flatMap((o) => repliesOf('StockReserved', o));
    const failed = orders.flatMap((o) => repliesOf('StockReservationFailed', o));
    expect(reserved).toHaveLength(10);
    expect(failed).toHaveLength(40);
    for (const failure of failed)
      expect(failure.payload).toEqual({
        orderId: failure.aggregateId,
        reason: 'OUT_OF_STOCK',
        shortages: [{ productId, requested: 1, available: 0 }],
      });
    for (const reply of reserved) {
      expect(reply.payload.items).toEqual([{ productId, quantity: 1 }]);
      expect(reply.causationId).not.toBeNull();
    }
    expect(new Set(reserved.map((r) => r.payload.reservationId)).size).toBe(10);
    expect(await stockOf(database.sql, productId)).toMatchObject({
      available: 0,
      reserved: 10,
      sold: 0,
      restocked: 10,
    });
    const statuses = await database.sql.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM reservations WHERE order_id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
      [orders],
    );
    expect(statuses).toEqual([
      { status: 'REFUSED', n: 40 },
      { status: 'RESERVED', n: 10 },
    ]);
    expect(reads).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    expect(await ledgerMismatches(database.sql)).toEqual([]);
  });

  it('applies every command once when each is delivered twice, and answers repeated commands consistently', async () => {
    const [p1, p2] = [await newProduct(20), await newProduct(20)];
    const orders = Array.from({ length: 6 }, () => uuidv7());
    const [o1, o2, o3, o4, o5, o6] = orders as [string, string, string, string, string, string];
    const items: Item[] = [
      { productId: p1, quantity: 2 },
      { productId: p2, quantity: 1 },
    ];
    const twice = (envelopes: MessageEnvelope[]) =>
      messaging.publisher.publish(envelopes.flatMap((e) => [e, e]));

    const reserves = orders.map((orderId) => reserveStock(orderId, items));
    await twice(reserves);
    await waitFor(() => orders.every((o) => repliesOf('StockReserved', o).length === 1));
    expect(await stockOf(database.sql, p1)).toMatchObject({ available: 8, reserved: 12 });

    await twice([
      releaseStock(o1),
      releaseStock(o2),
      commitStock(o3),
      commitStock(o4),
      commitStock(o5),
      releaseStock(o6),
    ]);
    await waitFor(
      () =>
        [o1, o2, o6].every((o) => repliesOf('StockReleased', o).length === 1) &&
        [o3, o4, o5].every((o) => repliesOf('StockCommitted', o).length === 1),
    );
    // The same commands again under new ids (not copies): acknowledged again, no effect.
    await twice([reserveStock(o1, [{ productId: p1, quantity: 7 }]), commitStock(o5), releaseStock(o6)]);
    await waitFor(
      () =>
        repliesOf('StockReserved', o1).length === 2 &&
        repliesOf('StockCommitted', o5).length === 2 &&
        repliesOf('StockReleased', o6).length === 2,
    );

    // One reservation per order, with the state of the one command that counted.
    const rows = await database.sql.query<{ orderId: string; status: string; version: number }>(
      `SELECT order_id AS "orderId", status, version FROM reservations WHERE order_id = ANY($1::uuid[])`,
      [orders],
    );
    expect(new Map(rows.map((r) => [r.orderId, [r.status, r.version]]))).toEqual(
      new Map([
        [o1, ['RELEASED', 2]],
        [o2, ['RELEASED', 2]],
        [o3, ['COMMITTED', 2]],
        [o4, ['COMMITTED', 2]],
        [o5, ['COMMITTED', 2]],
        [o6, ['RELEASED', 2]],
      ]),
    );
    // Replies are consistent: the repeated reserve got the first answer back.
    const [first, again] = repliesOf('StockReserved', o1);
    expect(again!.payload).toEqual(first!.payload);
    expect(again!.causationId).not.toBe(first!.causationId);
    for (const orderId of orders) {
      const reservationId = repliesOf('StockReserved', orderId)[0]!.payload.reservationId;
      for (const reply of [...repliesOf('StockReleased', orderId), ...repliesOf('StockCommitted', orderId)])
        expect(reply.payload.reservationId).toBe(reservationId);
    }
    expect(repliesOf('StockReservationFailed').filter((r) => orders.includes(r.aggregateId))).toEqual([]);
    // Three orders x 2 units of p1 sold, the rest back on the shelf.
    expect(await stockOf(database.sql, p1)).toMatchObject({
      available: 14,
      reserved: 0,
      sold: 6,
      restocked: 20,
    });
    expect(await stockOf(database.sql, p2)).toMatchObject({
      available: 17,
      reserved: 0,
      sold: 3,
      restocked: 20,
    });
    // Each command id is in the inbox once, although it arrived twice.
    const [inbox] = await database.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inbox WHERE consumer_group = 'inventory-commands'
         AND message_id = ANY($1::uuid[])`,
      [reserves.map((r) => r.id)],
    );
    expect(inbox!.n).toBe(6);
    expect(await ledgerMismatches(database.sql)).toEqual([]);
  });

  it('refuses a reservation that arrives after the release of its order (the release overtook it)', async () => {
    const productId = await newProduct(5);
    const orderId = uuidv7();
    // Same key, one batch: the release is ahead of the reserve on the partition.
    await messaging.publisher.publish([
      releaseStock(orderId),
      reserveStock(orderId, [{ productId, quantity: 2 }]),
    ]);
    await waitFor(() => repliesOf('StockReservationFailed', orderId).length === 1);

    expect(repliesOf('StockReleased', orderId).map((r) => r.payload)).toEqual([
      { orderId, reservationId: null },
    ]);
    expect(repliesOf('StockReservationFailed', orderId)[0]!.payload).toEqual({
      orderId,
      reason: 'ORDER_RELEASED',
      shortages: [],
    });
    expect(repliesOf('StockReserved', orderId)).toEqual([]);
    expect(await stockOf(database.sql, productId)).toMatchObject({ available: 5, reserved: 0 });
    const view = await call(anyInstance(1), 'GET', `/inventory/reservations/${orderId}`, { headers: admin });
    expect(view.body).toMatchObject({ orderId, reservationId: null, status: 'RELEASED', items: [] });
  });

  it('keeps restocked = available + reserved + sold on every read through a busy mixed run', async () => {
    const products = [await newProduct(3), await newProduct(3), await newProduct(0)];
    const watcher = watchStock(products);
    const random = seeded(42);
    const orders = Array.from({ length: 60 }, () => uuidv7());
    const itemsOf = new Map(
      orders.map((orderId) => [
        orderId,
        products
          .filter(() => random() < 0.6)
          .map((productId) => ({ productId, quantity: 1 + Math.floor(random() * 3) })),
      ]),
    );
    for (const items of itemsOf.values())
      if (items.length === 0) items.push({ productId: products[0]!, quantity: 1 });

    // Reservations and restocks race each other.
    const restocks = Array.from({ length: 30 }, (_, i) =>
      call(anyInstance(i), 'POST', `/inventory/${products[i % 3]}/restock`, {
        body: { quantity: 1 + (i % 4) },
        headers: { ...admin, 'idempotency-key': `busy-${i}` },
      }),
    );
    await messaging.publisher.publish(orders.map((orderId) => reserveStock(orderId, itemsOf.get(orderId)!)));
    expect((await Promise.all(restocks)).map((r) => r.status)).toEqual(Array(30).fill(200));
    const answered = () =>
      orders.filter(
        (o) => repliesOf('StockReserved', o).length + repliesOf('StockReservationFailed', o).length > 0,
      );
    await waitFor(() => answered().length === orders.length, { timeoutMs: 90_000 });

    // Commit half of the reserved orders, release the others and some refused ones.
    const reservedOrders = orders.filter((o) => repliesOf('StockReserved', o).length > 0);
    expect(reservedOrders.length).toBeGreaterThan(0);
    const settle = orders.map((orderId, i) =>
      reservedOrders.includes(orderId) && i % 2 === 0 ? commitStock(orderId) : releaseStock(orderId),
    );
    await messaging.publisher.publish(settle);
    await waitFor(
      () =>
        orders.every((o) => repliesOf('StockCommitted', o).length + repliesOf('StockReleased', o).length > 0),
      { timeoutMs: 90_000 },
    );
    const { violations, reads } = await watcher.stop();

    expect(reads).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    expect(await ledgerMismatches(database.sql)).toEqual([]);
    const totalRestocked = 6 + Array.from({ length: 30 }, (_, i) => 1 + (i % 4)).reduce((a, b) => a + b, 0);
    const rows = await Promise.all(products.map((p) => stockOf(database.sql, p)));
    expect(rows.reduce((sum, row) => sum + row!.restocked, 0)).toBe(totalRestocked);
    for (const row of rows) expect(row!.reserved).toBe(0);
  });
});

/** mulberry32: reproducible "random" orders. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
