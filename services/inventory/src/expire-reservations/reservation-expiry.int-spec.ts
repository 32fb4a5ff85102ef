import { TOPICS, uuidv7, type MessageEnvelope } from '@shop/contracts';
import type { KafkaMessaging } from '@shop/messaging';
import { migrationsOf } from '@shop/persistence';
import {
  createTestEnvironment,
  serviceInfrastructure,
  sleep,
  waitFor,
  type TestEnvironment,
} from '@shop/testing';
import { InventoryDatabase } from '../infrastructure/inventory-database';
import {
  commitStock,
  ledgerMismatches,
  productCreated,
  reserveStock,
  stockOf,
  testMessaging,
} from '../test-support/inventory-test-kit';
import {
  adminHeaders,
  call,
  recordTopics,
  startInventory,
  type LooseJson,
  type RunningInventory,
  type TopicRecorder,
} from '../test-support/start-inventory';
import { ReservationSweeper } from './reservation-sweeper';

jest.setTimeout(120_000);

/**
 * Reservations expire after RESERVATION_TTL_MS (1 s here) and the elected
 * sweeper gives their units back. Two instances; the relay publishes every
 * message twice (CHAOS_DUPLICATE_DELIVERY), as in the chaos suites.
 */
describe('reservation expiry', () => {
  let env: TestEnvironment;
  let instances: RunningInventory[] = [];
  let messaging: KafkaMessaging;
  let replies: TopicRecorder;
  let database: InventoryDatabase;
  const admin = adminHeaders();

  beforeAll(async () => {
    env = await createTestEnvironment('inventory-expiry', {
      postgres: migrationsOf('inventory'),
      redis: true,
      kafka: { dedicatedBroker: true },
    });
    const settings = {
      ...serviceInfrastructure(env),
      env: {
        RESERVATION_TTL_MS: '1000',
        RESERVATION_SWEEP_INTERVAL_MS: '100',
        CHAOS_DUPLICATE_DELIVERY: 'true',
      },
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

  const sweeperOf = (instance: RunningInventory) => instance.app.get(ReservationSweeper);
  const leaders = () => instances.filter((instance) => sweeperOf(instance).isLeader);
  const unique = (messages: MessageEnvelope<LooseJson>[]) => [
    ...new Map(messages.map((m) => [m.id, m])).values(),
  ];
  const reservationStatus = async (orderId: string) =>
    (
      await database.sql.query<{ status: string }>(
        'SELECT status FROM reservations WHERE order_id = $1::uuid',
        [orderId],
      )
    )[0]?.status;

  async function newProduct(units: number): Promise<string> {
    const created = productCreated();
    await messaging.publisher.publish(created);
    const productId = created.payload.productId;
    await waitFor(async () => (await stockOf(database.sql, productId)) !== undefined);
    const answer = await call(instances[0]!.url, 'POST', `/inventory/${productId}/restock`, {
      body: { quantity: units },
      headers: admin,
    });
    expect(answer.status).toBe(200);
    return productId;
  }

  async function reserveAndWaitForExpiry(orderId: string, productId: string, quantity: number) {
    await messaging.publisher.publish(reserveStock(orderId, [{ productId, quantity }]));
    await waitFor(() => replies.of('StockReleased', orderId).length > 0, {
      describe: () =>
        `replies so far: ${JSON.stringify(replies.messages.filter((m) => m.aggregateId === orderId))}`,
    });
    return unique(replies.of('StockReserved', orderId))[0]!;
  }

  it('elects exactly one sweeper among the instances', async () => {
    await waitFor(() => leaders().length === 1);
    for (let sample = 0; sample < 20; sample++) {
      expect(leaders().length).toBeLessThanOrEqual(1);
      await sleep(25);
    }
  });

  it('releases a reservation nobody committed after its TTL, and publishes StockReleased', async () => {
    const productId = await newProduct(5);
    const orderId = uuidv7();
    const reserved = await reserveAndWaitForExpiry(orderId, productId, 2);

    const released = unique(replies.of('StockReleased', orderId));
    expect(released.map((m) => m.payload)).toEqual([
      { orderId, reservationId: reserved.payload.reservationId },
    ]);
    // The release continues the order's flow (same correlation as the reservation).
    expect(released[0]!.correlationId).toBe(reserved.correlationId);
    expect(await stockOf(database.sql, productId)).toMatchObject({ available: 5, reserved: 0, sold: 0 });
    expect(await reservationStatus(orderId)).toBe('EXPIRED');
    // The chaos switch reached the relay: every reply went out twice under one id.
    await waitFor(() => replies.of('StockReleased', orderId).length === 2);
    expect(new Set(replies.of('StockReleased', orderId).map((m) => m.id)).size).toBe(1);
  });

  it('commits an expired reservation by taking its units again when they are still available', async () => {
    const productId = await newProduct(5);
    const orderId = uuidv7();
    const reserved = await reserveAndWaitForExpiry(orderId, productId, 2);

    await messaging.publisher.publish(commitStock(orderId, reserved.payload.reservationId));
    await waitFor(() => replies.of('StockCommitted', orderId).length > 0);
    expect(unique(replies.of('StockCommitted', orderId))[0]!.payload).toEqual({
      orderId,
      reservationId: reserved.payload.reservationId,
      items: [{ productId, quantity: 2 }],
    });
    expect(await stockOf(database.sql, productId)).toMatchObject({
      available: 3,
      reserved: 0,
      sold: 2,
      restocked: 5,
    });
    expect(await reservationStatus(orderId)).toBe('COMMITTED');
  });

  it('records an alert and takes nothing when an expired reservation units were sold to someone else', async () => {
    const productId = await newProduct(2);
    const late = uuidv7();
    await reserveAndWaitForExpiry(late, productId, 2);
    // Another order takes and buys the 2 units (reserve then commit: same key, in this order).
    const other = uuidv7();
    await messaging.publisher.publish([
      reserveStock(other, [{ productId, quantity: 2 }]),
      commitStock(other),
    ]);
    await waitFor(() => replies.of('StockCommitted', other).length > 0);

    await messaging.publisher.publish(commitStock(late));
    await waitFor(async () => (await reservationStatus(late)) === 'COMMIT_FAILED');
    expect(await stockOf(database.sql, productId)).toMatchObject({
      available: 0,
      reserved: 0,
      sold: 2,
      restocked: 2,
    });
    expect(replies.of('StockCommitted', late)).toEqual([]);
    const alerts = await call(instances[1]!.url, 'GET', '/inventory/alerts', { headers: admin });
    expect(alerts.body.items.filter((a: LooseJson) => a.orderId === late)).toEqual([
      {
        id: expect.any(String),
        kind: 'COMMIT_AFTER_EXPIRY_SHORTFALL',
        orderId: late,
        detail: expect.objectContaining({
          shortages: [{ productId, requested: 2, available: 0 }],
          items: [{ productId, quantity: 2 }],
        }),
        createdAt: expect.any(String),
      },
    ]);
    expect(await ledgerMismatches(database.sql)).toEqual([]);
  });

  it('hands the sweeper over when its leader stops', async () => {
    await waitFor(() => leaders().length === 1);
    const leader = leaders()[0]!;
    await leader.app.close();
    instances = instances.filter((instance) => instance !== leader);
    await waitFor(() => leaders().length === 1, { describe: () => 'no instance took the sweeper over' });

    const productId = await newProduct(3);
    const orderId = uuidv7();
    await reserveAndWaitForExpiry(orderId, productId, 3);
    expect(await stockOf(database.sql, productId)).toMatchObject({ available: 3, reserved: 0 });
  });
});
