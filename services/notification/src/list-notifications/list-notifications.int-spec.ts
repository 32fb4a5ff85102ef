import { randomUUID } from 'node:crypto';
import type { KafkaMessaging } from '@shop/messaging';
import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import {
  consumedCount,
  createConsumedTopics,
  customerHeaders,
  get,
  startNotification,
  upstream,
  upstreamPublisher,
  type RunningNotification,
} from '../test-support/start-notification';
import type { NotificationPage, NotificationView } from './notification-view';

/**
 * GET /notifications on notifications made from real events, by a service
 * without SMTP (so the email channel is skipped with its reason).
 */
describe('GET /notifications', () => {
  let env: TestEnvironment;
  let service: RunningNotification;
  let publisher: KafkaMessaging;
  const ana = randomUUID();
  const bob = randomUUID();
  const anaOrders = Array.from({ length: 25 }, () => randomUUID());
  const bobOrders = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    env = await createTestEnvironment('notification-list', {
      postgres: migrationsOf('notification'),
      kafka: { dedicatedBroker: true },
    });
    await createConsumedTopics(env.kafka);
    const group = env.kafka.groupId('notification');
    service = await startNotification({
      databaseUrl: env.postgres.url,
      kafkaBrokers: env.kafka.brokers,
      group,
    });
    publisher = upstreamPublisher(env.kafka.brokers);
    await publisher.publisher.publish(anaOrders.map((order) => upstream.orderConfirmed(order, ana)));
    await publisher.publisher.publish([
      upstream.orderCancelled(bobOrders[0]!, bob, 'CUSTOMER_REQUEST'),
      upstream.orderCancelled(bobOrders[1]!, bob, 'PAYMENT_TIMED_OUT'),
    ]);
    const total = anaOrders.length + bobOrders.length;
    await waitFor(async () => (await consumedCount(group)) >= total, { timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await publisher?.close();
    await service?.app.close();
    await env?.dispose();
  });

  const list = (userId: string | undefined, query = '') =>
    get<NotificationPage>(service.url, `/notifications${query}`, userId ? customerHeaders(userId) : {});

  it("pages through the caller's notifications, newest first", async () => {
    const pages: NotificationPage[] = [];
    let cursor: string | null = null;
    do {
      const answer = await list(ana, `?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      cursor = answer.body.nextCursor;
    } while (cursor && pages.length < 10); // a cursor that did not advance would loop forever

    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
    const items = pages.flatMap((page) => page.items);
    // Every one exactly once, across pages ...
    expect(items.map((item) => item.orderId).sort()).toEqual([...anaOrders].sort());
    // ... newest first: (createdAt, id) strictly descending, the order the cursor follows.
    const keys = items.map((item) => [Date.parse(item.createdAt), item.id] as const);
    for (let i = 1; i < keys.length; i++) {
      const [[time, id], [previousTime, previousId]] = [keys[i]!, keys[i - 1]!];
      expect(time < previousTime || (time === previousTime && id < previousId)).toBe(true);
    }
  });

  it('shows each item with its text and the status of each channel', async () => {
    const answer = await list(ana, '?limit=1');
    expect(answer.status).toBe(200);
    const [item] = answer.body.items as [NotificationView];
    const newest = item.orderId;
    expect(anaOrders).toContain(newest);
    expect(item).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      kind: 'order_confirmed',
      orderId: newest,
      title: `Order ${newest.replace(/-/g, '').slice(0, 8).toUpperCase()} confirmed`,
      body: expect.stringContaining('€45.98 is confirmed'),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      channels: [
        { channel: 'in_app', status: 'delivered' },
        { channel: 'email', status: 'skipped', reason: 'smtp_not_configured' },
      ],
    });
    expect(answer.body.nextCursor).toEqual(expect.any(String));
  });

  it('uses 20 items per page by default', async () => {
    const answer = await list(ana);
    expect(answer.body.items).toHaveLength(20);
  });

  it("never shows another customer's notifications", async () => {
    const answer = await list(bob);
    expect(answer.status).toBe(200);
    const byOrder = new Map(answer.body.items.map((item) => [item.orderId, item]));
    expect([...byOrder.keys()].sort()).toEqual([...bobOrders].sort());
    expect(byOrder.get(bobOrders[0]!)!.body).toContain('It was cancelled at your request.');
    expect(byOrder.get(bobOrders[1]!)!.body).toContain(
      'Any amount held on your payment method will be released.',
    );
    expect(answer.body.nextCursor).toBeNull();

    expect((await list(randomUUID())).body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=', 'limit'],
    ['cursor=not-a-cursor!', 'cursor'],
    [`cursor=${Buffer.from('123:not-a-uuid').toString('base64url')}`, 'cursor'],
  ])('rejects ?%s with 400 naming %s', async (query, path) => {
    const answer = await list(ana, `?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The query string is not valid',
        details: { issues: [{ path, message: expect.any(String) }] },
      },
    });
  });

  it('refuses a caller without a valid identity with 401', async () => {
    const missing = await list(undefined);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });

    const forged = await get(service.url, '/notifications', {
      ...customerHeaders(ana),
      'x-shop-user-id': bob, // signature made for ana
    });
    expect(forged.status).toBe(401);
    expect((await list(undefined, '?limit=0')).status).toBe(401);
  });
});
