import { randomUUID } from 'node:crypto';
import { MessageRegistry, ORDER_EVENTS, type MessageEnvelope } from '@shop/contracts';
import { EventStore } from '@shop/event-store';
import { KafkaMessaging } from '@shop/messaging';
import { migrationsOf, pgSqlClient, type SqlClient } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import type { Pool, PoolClient } from 'pg';
import { ORDER_VIEW_GROUP } from './order-view.consumer';
import { foldOrderView, type OrderView } from './order-view-projection';
import { findOrderView } from './order-view-table';
import { orderStreamId, versionedFromStored } from './order-view-updater';
import { rebuildOrderView } from './rebuild-order-view';
import { OrderWriter } from './test-support/order-writer';
import {
  admin,
  call,
  customer,
  orderViewSettings,
  startOrderView,
  type RunningOrderView,
} from './test-support/start-order-view';

/**
 * The live projection end to end: events appended to the event store,
 * published to order.events by the test (as the outbox relay would), consumed
 * by the view's group into order_views, read over HTTP; then rebuilt.
 */
describe('order view projection', () => {
  let env: TestEnvironment;
  let app: RunningOrderView;
  let pool: Pool;
  let sql: SqlClient;
  let store: EventStore;
  let writer: OrderWriter;
  let messaging: KafkaMessaging;

  beforeAll(async () => {
    env = await createTestEnvironment('order-view', {
      postgres: migrationsOf('order'),
      redis: true,
      kafka: { dedicatedBroker: true },
    });
    app = await startOrderView(settings());
    pool = env.postgres.pool();
    sql = pgSqlClient(pool);
    store = new EventStore(sql);
    writer = new OrderWriter(store);
    messaging = new KafkaMessaging({
      clientId: 'order-view-test-publisher',
      brokers: env.kafka.brokers,
      registry: new MessageRegistry([...ORDER_EVENTS]),
    });
  });
  afterAll(async () => {
    await messaging?.close();
    await app?.app.close();
    await env?.dispose();
  });

  const settings = () => ({
    ...serviceInfrastructure(env),
  });
  const publish = (messages: readonly MessageEnvelope[]) => messaging.publisher.publish(messages);
  const viewOf = (orderId: string) => findOrderView(sql, orderId);
  /** What the event store implies for the order: the pure fold of its whole stream. */
  const impliedView = async (orderId: string) =>
    foldOrderView((await store.load(orderStreamId(orderId))).map(versionedFromStored));
  const waitForVersion = (orderId: string, version: number) =>
    waitFor(async () => (await viewOf(orderId))?.version === version, {
      timeoutMs: 45_000,
      describe: () => `order ${orderId} never reached version ${version}`,
    });
  const inboxed = async (messageIds: readonly string[]) =>
    Number(
      (
        await pool.query<{ n: string }>(
          'SELECT count(*) AS n FROM inbox WHERE consumer_group = $1 AND message_id = ANY($2::uuid[])',
          [ORDER_VIEW_GROUP, messageIds],
        )
      ).rows[0]!.n,
    );
  const allRows = async () =>
    (await pool.query('SELECT * FROM order_views ORDER BY id')).rows as Record<string, unknown>[];
  const cached = (key: string) => env.redis.client().exists(`cache:{${key}}`);

  it('folds placed, confirmed and captured into the view: status, totals, timeline at the events’ times', async () => {
    const placed = await writer.place('alice', { mug: 2, tea: 1 });
    const id = placed.orderId;
    const confirmed = await writer.confirm(id);
    const captured = await writer.payment(id, 'CAPTURED');
    await publish([...placed.messages, ...confirmed.messages, ...captured.messages]);

    await waitForVersion(id, 3);
    const answer = await call(app.url, 'GET', `/orders/${id}`, customer('alice'));
    expect(answer.status).toBe(200);
    const times = [placed, confirmed, captured].map((m) => m.messages[0]!.payload as Record<string, string>);
    expect(answer.body).toEqual({
      id,
      customerId: 'alice',
      status: 'CONFIRMED',
      lines: [
        expect.objectContaining({ sku: 'MUG-1', quantity: 2, unitPriceCents: 1250, lineTotalCents: 2500 }),
        expect.objectContaining({ sku: 'TEA-1', quantity: 1, unitPriceCents: 399, lineTotalCents: 399 }),
      ],
      currency: 'EUR',
      totalCents: 2899,
      paymentStatus: 'CAPTURED',
      paymentId: `pay-${id.slice(0, 8)}`,
      cancellationReason: null,
      cancellationDetail: null,
      timeline: [
        { type: 'PLACED', at: times[0]!.placedAt },
        { type: 'CONFIRMED', at: times[1]!.confirmedAt },
        { type: 'PAYMENT_CAPTURED', at: times[2]!.recordedAt },
      ],
      version: 3,
      placedAt: times[0]!.placedAt,
      updatedAt: times[2]!.recordedAt,
    });
    expect(answer.body).toEqual(await impliedView(id));
  });

  it('a cancelled order shows its reason, detail and voided payment', async () => {
    const placed = await writer.place('alice', { tea: 3 });
    const id = placed.orderId;
    const cancelled = await writer.cancel(id, 'PAYMENT_DECLINED', 'card expired');
    const voided = await writer.payment(id, 'VOIDED');
    await publish([...placed.messages, ...cancelled.messages, ...voided.messages]);

    await waitForVersion(id, 3);
    const view = (await call(app.url, 'GET', `/orders/${id}`, customer('alice'))).body as OrderView;
    expect(view).toMatchObject({
      status: 'CANCELLED',
      totalCents: 1197,
      paymentStatus: 'VOIDED',
      cancellationReason: 'PAYMENT_DECLINED',
      cancellationDetail: 'card expired',
    });
    expect(view.timeline.map((e) => [e.type, e.detail])).toEqual([
      ['PLACED', undefined],
      ['CANCELLED', 'PAYMENT_DECLINED: card expired'],
      ['PAYMENT_VOIDED', undefined],
    ]);
    expect(view).toEqual(await impliedView(id));
  });

  it('every event delivered twice, by id and as copies under new ids: the same view, each applied once', async () => {
    const placed = await writer.place('bob');
    const id = placed.orderId;
    const confirmed = await writer.confirm(id);
    const [m1, m2] = [placed.messages[0]!, confirmed.messages[0]!];
    // Copies of the same events under other message ids: only the version check can tell them apart.
    const [c1, c2] = [
      { ...m1, id: randomUUID() },
      { ...m2, id: randomUUID() },
    ];
    await publish([m1, m1, m2, m1, m2, c1, c2]); // one key: one partition, consumed in this order

    await waitFor(async () => (await inboxed([m1.id, m2.id, c1.id, c2.id])) === 4, { timeoutMs: 45_000 });
    const view = await viewOf(id);
    expect(view).toEqual(await impliedView(id));
    expect(view).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(view!.timeline.map((e) => e.type)).toEqual(['PLACED', 'CONFIRMED']);
  });

  it('an event missing on Kafka: the view refolds from the event store and never skips it', async () => {
    // Order 1: the middle event (OrderConfirmed) is lost.
    const placed = await writer.place('carol');
    const confirmed = await writer.confirm(placed.orderId);
    const captured = await writer.payment(placed.orderId, 'CAPTURED');
    // Order 2: even OrderPlaced is lost; only the cancellation arrives.
    const lonely = await writer.place('carol', { mug: 1 });
    const cancelled = await writer.cancel(lonely.orderId, 'OUT_OF_STOCK');
    expect(confirmed.messages).toHaveLength(1);
    await publish([...placed.messages, ...captured.messages, ...cancelled.messages]);

    await waitForVersion(placed.orderId, 3);
    await waitForVersion(lonely.orderId, 2);
    const first = await viewOf(placed.orderId);
    expect(first!.timeline.map((e) => e.type)).toEqual(['PLACED', 'CONFIRMED', 'PAYMENT_CAPTURED']);
    expect(first).toEqual(await impliedView(placed.orderId));
    expect(await viewOf(lonely.orderId)).toEqual(await impliedView(lonely.orderId));
    expect(await viewOf(lonely.orderId)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'OUT_OF_STOCK',
    });
  });

  it('serves reads from the cache and drops the order’s and the customer’s entries when the order changes', async () => {
    const placed = await writer.place('dave');
    const id = placed.orderId;
    await publish(placed.messages);
    await waitForVersion(id, 1);

    expect((await call(app.url, 'GET', `/orders/${id}`, customer('dave'))).body.status).toBe('PENDING');
    const list = await call(app.url, 'GET', '/orders?limit=5', customer('dave'));
    expect(list.body.items.map((o: OrderView) => [o.id, o.status])).toEqual([[id, 'PENDING']]);
    expect(await cached(`order-view:${id}`)).toBe(1);
    expect(await cached('order-list:dave:*:1:5')).toBe(1);

    // Proof that reads come from Redis: a row changed behind the cache's back is not seen.
    await pool.query(`UPDATE order_views SET status = 'CANCELLED' WHERE id = $1`, [id]);
    expect((await call(app.url, 'GET', `/orders/${id}`, customer('dave'))).body.status).toBe('PENDING');
    await pool.query(`UPDATE order_views SET status = 'PENDING' WHERE id = $1`, [id]);

    const confirmed = await writer.confirm(id);
    await publish(confirmed.messages);
    await waitForVersion(id, 2);
    // The TTL is a minute: only the projection's invalidation empties these entries this soon.
    await waitFor(
      async () => (await cached(`order-view:${id}`)) + (await cached('order-list:dave:*:1:5')) === 0,
    );
    expect((await call(app.url, 'GET', `/orders/${id}`, customer('dave'))).body.status).toBe('CONFIRMED');
    const after = await call(app.url, 'GET', '/orders?limit=5', customer('dave'));
    expect(after.body.items.map((o: OrderView) => [o.id, o.status])).toEqual([[id, 'CONFIRMED']]);
  });

  describe('rebuild', () => {
    let liveRows: Record<string, unknown>[];

    beforeAll(async () => {
      // Everything published so far has been projected (each test waited for it).
      liveRows = await allRows();
      expect(liveRows.length).toBeGreaterThanOrEqual(6);
      for (const row of liveRows)
        expect(await viewOf(row.id as string)).toEqual(await impliedView(row.id as string));
    });

    it('is for admins only', async () => {
      expect((await call(app.url, 'POST', '/admin/order-view/rebuild')).status).toBe(401);
      const refused = await call(app.url, 'POST', '/admin/order-view/rebuild', customer('alice'));
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    });

    it('reproduces the live view exactly, repairs a damaged one and clears the cache', async () => {
      const [damaged, removed] = [liveRows[0]!.id as string, liveRows[1]!.id as string];
      const owner = liveRows[0]!.customer_id as string;
      await pool.query(
        `UPDATE order_views SET status = 'PENDING', timeline = '[]', version = 99 WHERE id = $1`,
        [damaged],
      );
      await pool.query('DELETE FROM order_views WHERE id = $1', [removed]);
      await env.redis.client().del(`cache:{order-view:${damaged}}`); // an earlier test may have cached it
      expect((await call(app.url, 'GET', `/orders/${damaged}`, customer(owner))).body.version).toBe(99); // cached now

      const rebuilt = await call(app.url, 'POST', '/admin/order-view/rebuild', admin());
      expect(rebuilt.status).toBe(200);
      const events = Number(
        (await pool.query(`SELECT count(*) AS n FROM events WHERE stream_type = 'order'`)).rows[0].n,
      );
      expect(rebuilt.body).toEqual({
        events,
        orders: liveRows.length,
        lastPosition: expect.any(Number),
        cacheCleared: true,
      });
      expect(await allRows()).toEqual(liveRows);
      expect((await call(app.url, 'GET', `/orders/${damaged}`, customer(owner))).body).toEqual(
        await impliedView(damaged),
      );
    });

    it('runs as a script with the same result', async () => {
      await pool.query('DELETE FROM order_views WHERE id = $1', [liveRows[2]!.id]);
      const report = await rebuildOrderView(orderViewSettings(settings()));
      expect(report).toMatchObject({ orders: liveRows.length, cacheCleared: true });
      expect(await allRows()).toEqual(liveRows);
    });

    it('keeps reads and the live projection going while it runs; a second rebuild gets 409', async () => {
      const placed = await writer.place('erin');
      await publish(placed.messages);
      await waitForVersion(placed.orderId, 1);
      const rowsBefore = (await allRows()).length;

      // A projection transaction in flight: it holds the view's table lock shared.
      const inFlight: PoolClient = await pool.connect();
      let rebuilding: Promise<{ status: number; body: unknown }> | undefined;
      try {
        await inFlight.query('BEGIN');
        await inFlight.query('SELECT pg_advisory_xact_lock_shared($1::int, 0)', [0x4f565701]);
        rebuilding = call(app.url, 'POST', '/admin/order-view/rebuild', admin());
        // The rebuild has replayed into its staging table and now waits to swap.
        await waitFor(async () => (await waitingForTableLock()) === 1, { timeoutMs: 30_000 });

        const confirmed = await writer.confirm(placed.orderId);
        await publish(confirmed.messages); // the live projection will queue behind the swap
        expect((await call(app.url, 'GET', `/orders/${placed.orderId}`, customer('erin'))).status).toBe(200);
        expect((await allRows()).length).toBe(rowsBefore); // nothing emptied while rebuilding
        const second = await call(app.url, 'POST', '/admin/order-view/rebuild', admin());
        expect(second.status).toBe(409);
        expect(second.body.error.code).toBe('CONFLICT');
      } finally {
        await inFlight.query('COMMIT');
        inFlight.release();
      }
      expect((await rebuilding!).status).toBe(200);
      await waitForVersion(placed.orderId, 2);
      expect(await viewOf(placed.orderId)).toEqual(await impliedView(placed.orderId));
    });

    const waitingForTableLock = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_locks
             WHERE locktype = 'advisory' AND NOT granted AND classid = $1::int::oid AND objid = 0 AND mode = 'ExclusiveLock'`,
            [0x4f565701],
          )
        ).rows[0]!.n,
      );
  });
});
