import { randomUUID } from 'node:crypto';
import type { KafkaMessaging } from '@shop/messaging';
import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { NotificationDatabase } from '../infrastructure/notification-database';
import { InspectDatabase } from '../test-support/inspect-database';
import { SmtpTestServer } from '../test-support/smtp-test-server';
import {
  consumedCount,
  createConsumedTopics,
  startNotification,
  upstream,
  upstreamPublisher,
  type RunningNotification,
} from '../test-support/start-notification';

const ORDERS = 40;

/**
 * Two service instances on one database and one consumer group, each with
 * several sending slots, against a slow SMTP server (so sends overlap): every
 * email leaves exactly once. Without the row claim (FOR UPDATE SKIP LOCKED
 * held across the send) the slots pick the same rows and this test sees
 * duplicates.
 */
describe('two notification instances', () => {
  let env: TestEnvironment;
  let smtp: SmtpTestServer;
  let instances: RunningNotification[] = [];
  let publisher: KafkaMessaging;
  let database: NotificationDatabase;

  beforeAll(async () => {
    env = await createTestEnvironment('notification-instances', {
      postgres: migrationsOf('notification'),
      kafka: { dedicatedBroker: true },
    });
    await createConsumedTopics(env.kafka);
    smtp = await SmtpTestServer.start({ acceptDelayMs: 20 });
    const group = env.kafka.groupId('notification');
    const settings = {
      databaseUrl: env.postgres.url,
      kafkaBrokers: env.kafka.brokers,
      group,
      smtpUrl: smtp.url,
      env: { EMAIL_CONCURRENCY: '4', EMAIL_POLL_INTERVAL_MS: '10' },
    };
    instances = [await startNotification(settings), await startNotification(settings)];
    publisher = upstreamPublisher(env.kafka.brokers);
    database = new NotificationDatabase(env.postgres.url, { transactionTimeoutMs: 5_000, poolSize: 2 });
  }, 120_000);
  afterAll(async () => {
    await publisher?.close();
    await Promise.all(instances.map((instance) => instance.app.close()));
    await database?.onApplicationShutdown();
    await smtp?.down();
    await env?.dispose();
  });

  it('sends each email once', async () => {
    const inspect = new InspectDatabase(database.sql);
    const customer = randomUUID();
    await publisher.publisher.publish(upstream.userRegistered(customer, 'eve@example.com', 'Eve'));
    await waitFor(async () => (await consumedCount(instances[0]!.config.NOTIFICATION_GROUP)) >= 1, {
      timeoutMs: 60_000,
    });
    const orders = Array.from({ length: ORDERS }, () => randomUUID());
    await publisher.publisher.publish(orders.map((order) => upstream.orderConfirmed(order, customer)));

    await waitFor(async () => (await inspect.emailsWithStatus('sent')) === ORDERS, {
      timeoutMs: 90_000,
      describe: () => `received ${smtp.received.length}`,
    });

    const notifications = await inspect.notificationsOf(orders);
    expect(notifications).toHaveLength(ORDERS);
    expect(smtp.received).toHaveLength(ORDERS);
    const messageIds = new Set(smtp.received.map((email) => email.messageId));
    expect(messageIds).toEqual(new Set(notifications.map((n) => `<notification-${n.id}@shop.test>`)));
    const deliveries = await inspect.deliveriesOf(orders);
    expect(deliveries.filter((d) => d.channel === 'email').map((d) => d.attempts)).toEqual(
      Array(ORDERS).fill(1),
    );
  });
});
