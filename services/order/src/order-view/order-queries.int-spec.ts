import { randomUUID } from 'node:crypto';
import type { OrderIntegrationEvent } from '@shop/contracts';
import { EventStore } from '@shop/event-store';
import { handleOnce } from '@shop/messaging';
import { migrationsOf, pgSqlClient, type SqlClient } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, type TestEnvironment } from '@shop/testing';
import { ORDER_VIEW_GROUP } from './order-view.consumer';
import { OrderViewUpdater } from './order-view-updater';
import { OrderWriter } from './test-support/order-writer';
import {
  admin,
  call,
  customer,
  startOrderView,
  type RunningOrderView,
} from './test-support/start-order-view';

/** GET /orders and GET /orders/:id: validation, ownership, paging, all from the view. */
describe('order queries', () => {
  let env: TestEnvironment;
  let app: RunningOrderView;
  let sql: SqlClient;
  let writer: OrderWriter;
  let updater: OrderViewUpdater;
  /** Frank's orders, oldest first. */
  const frank: string[] = [];
  let ginasOrder: string;

  beforeAll(async () => {
    env = await createTestEnvironment('order-queries', {
      postgres: migrationsOf('order'),
      redis: true,
      kafka: { dedicatedBroker: true },
    });
    app = await startOrderView({
      ...serviceInfrastructure(env),
    });
    sql = pgSqlClient(env.postgres.pool());
    const store = new EventStore(sql);
    writer = new OrderWriter(store);
    updater = new OrderViewUpdater(store);

    // Projected the way the consumer does it (inbox + updater), without the Kafka round trip.
    const project = async ({ messages }: Awaited<ReturnType<OrderWriter['place']>>) => {
      for (const message of messages)
        await handleOnce(sql, ORDER_VIEW_GROUP, message, (tx) =>
          updater.apply(tx, message as OrderIntegrationEvent).then(() => undefined),
        );
    };
    for (let i = 0; i < 5; i++) {
      const placed = await writer.place('frank', { mug: i + 1 });
      await project(placed);
      frank.push(placed.orderId);
    }
    await project(await writer.confirm(frank[1]!));
    await project(await writer.cancel(frank[3]!, 'CUSTOMER_REQUEST'));
    const gina = await writer.place('gina');
    await project(gina);
    ginasOrder = gina.orderId;
  });
  afterAll(async () => {
    await app?.app.close();
    await env?.dispose();
  });

  describe('GET /orders/:id', () => {
    it('answers the owner with the view', async () => {
      const answer = await call(app.url, 'GET', `/orders/${frank[1]}`, customer('frank'));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: frank[1],
        customerId: 'frank',
        status: 'CONFIRMED',
        version: 2,
      });
    });

    it('answers 404, not 403, for another customer’s order: ids cannot be probed', async () => {
      const answer = await call(app.url, 'GET', `/orders/${ginasOrder}`, customer('frank'));
      expect(answer).toEqual({
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: `Order ${ginasOrder} not found` } },
      });
      const unknown = randomUUID();
      expect((await call(app.url, 'GET', `/orders/${unknown}`, customer('frank'))).body).toEqual({
        error: { code: 'NOT_FOUND', message: `Order ${unknown} not found` },
      });
    });

    it('lets admins read any order', async () => {
      const answer = await call(app.url, 'GET', `/orders/${ginasOrder}`, admin());
      expect(answer.status).toBe(200);
      expect(answer.body.customerId).toBe('gina');
    });

    it('refuses a malformed id (400) and a caller without identity (401)', async () => {
      const malformed = await call(app.url, 'GET', '/orders/not-a-uuid', customer('frank'));
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'id', message: 'must be a UUID' }] },
      });
      expect((await call(app.url, 'GET', `/orders/${frank[0]}`)).status).toBe(401);
    });
  });

  describe('GET /orders', () => {
    it('lists the caller’s orders newest first, paginated, with totals and item counts', async () => {
      const first = await call(app.url, 'GET', '/orders?limit=2', customer('frank'));
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        items: [
          {
            id: frank[4],
            status: 'PENDING',
            currency: 'EUR',
            totalCents: 5 * 1250,
            paymentStatus: 'NONE',
            cancellationReason: null,
            itemCount: 5,
            placedAt: expect.any(String),
            updatedAt: expect.any(String),
          },
          expect.objectContaining({
            id: frank[3],
            status: 'CANCELLED',
            cancellationReason: 'CUSTOMER_REQUEST',
          }),
        ],
        page: 1,
        limit: 2,
        total: 5,
      });
      const pages = await Promise.all(
        [1, 2, 3, 4].map((page) => call(app.url, 'GET', `/orders?limit=2&page=${page}`, customer('frank'))),
      );
      expect(pages.flatMap((p) => p.body.items.map((o: { id: string }) => o.id))).toEqual(
        [...frank].reverse(),
      );
      expect(pages[3]!.body).toEqual({ items: [], page: 4, limit: 2, total: 5 });
    });

    it('filters by status', async () => {
      const answer = await call(app.url, 'GET', '/orders?status=CONFIRMED', customer('frank'));
      expect(answer.body.items.map((o: { id: string }) => o.id)).toEqual([frank[1]]);
      expect(answer.body.total).toBe(1);
    });

    it('shows nobody else’s orders, and an empty history as an empty page', async () => {
      const gina = await call(app.url, 'GET', '/orders', customer('gina'));
      expect(gina.body.items.map((o: { id: string }) => o.id)).toEqual([ginasOrder]);
      expect((await call(app.url, 'GET', '/orders', customer('nobody'))).body).toEqual({
        items: [],
        page: 1,
        limit: 20,
        total: 0,
      });
    });

    it('lets only admins list another customer’s orders', async () => {
      const refused = await call(app.url, 'GET', '/orders?customerId=gina', customer('frank'));
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      const own = await call(app.url, 'GET', '/orders?customerId=frank&limit=1', customer('frank'));
      expect(own.body.total).toBe(5);
      const byAdmin = await call(app.url, 'GET', '/orders?customerId=gina', admin());
      expect(byAdmin.body.items.map((o: { id: string }) => o.id)).toEqual([ginasOrder]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
      ['status=SHIPPED', 'status'],
      ['customerId=', 'customerId'],
    ])('answers 400 naming the parameter for %s', async (query, path) => {
      const answer = await call(app.url, 'GET', `/orders?${query}`, customer('frank'));
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual([path]);
    });

    it('needs an identity', async () => {
      const answer = await call(app.url, 'GET', '/orders');
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHORIZED');
    });
  });
});
