import { randomUUID } from 'node:crypto';
import type { MessageEnvelope } from '@shop/contracts';
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

/**
 * Order outcomes through Kafka into notifications, and their emails through a
 * real SMTP server: once per outcome and channel, whatever the redeliveries,
 * with late contacts and an SMTP outage.
 */
describe('order outcome notifications', () => {
  let env: TestEnvironment;
  let smtp: SmtpTestServer;
  let service: RunningNotification;
  let publisher: KafkaMessaging;
  let database: NotificationDatabase;
  let inspect: InspectDatabase;
  let group: string;
  let published = 0;

  beforeAll(async () => {
    env = await createTestEnvironment('notification-orders', {
      postgres: migrationsOf('notification'),
      kafka: { dedicatedBroker: true },
    });
    await createConsumedTopics(env.kafka);
    smtp = await SmtpTestServer.start();
    group = env.kafka.groupId('notification');
    service = await startNotification({
      databaseUrl: env.postgres.url,
      kafkaBrokers: env.kafka.brokers,
      group,
      smtpUrl: smtp.url,
      // The outage test must not run out of attempts while the server is down.
      env: { EMAIL_MAX_ATTEMPTS: '100' },
    });
    publisher = upstreamPublisher(env.kafka.brokers);
    database = new NotificationDatabase(env.postgres.url, { transactionTimeoutMs: 5_000, poolSize: 2 });
    inspect = new InspectDatabase(database.sql);
  }, 120_000);
  afterAll(async () => {
    await publisher?.close();
    await service?.app.close();
    await database?.onApplicationShutdown();
    await smtp?.down();
    await env?.dispose();
  });

  const publish = async (...messages: MessageEnvelope[]) => {
    await publisher.publisher.publish(messages);
    published += messages.length;
  };
  const allConsumed = () =>
    waitFor(async () => (await consumedCount(group)) >= published, {
      timeoutMs: 60_000,
      describe: () => `published ${published}`,
    });
  const noPendingEmails = () =>
    waitFor(async () => (await inspect.emailsWithStatus('pending')) === 0, { timeoutMs: 60_000 });
  const emailsTo = (address: string) => smtp.received.filter((email) => email.to.includes(address));

  it('creates one notification and sends one email per confirmed and cancelled order', async () => {
    const ana = { id: randomUUID(), email: 'ana@example.com', name: 'Ana' };
    const confirmed = randomUUID();
    const cancelled = randomUUID();
    await publish(upstream.userRegistered(ana.id, ana.email, ana.name));
    await allConsumed();
    const confirmedEvent = upstream.orderConfirmed(confirmed, ana.id, 1299);
    const cancelledEvent = upstream.orderCancelled(cancelled, ana.id, 'PAYMENT_DECLINED');
    await publish(confirmedEvent, cancelledEvent);

    await waitFor(
      async () => emailsTo(ana.email).length === 2 && (await inspect.emailsWithStatus('pending')) === 0,
      {
        timeoutMs: 60_000,
        describe: () => JSON.stringify(smtp.received),
      },
    );

    const notifications = await inspect.notificationsOf([confirmed, cancelled]);
    const byOrder = (orderId: string) => notifications.find((n) => n.order_id === orderId)!;
    expect(notifications).toHaveLength(2);
    expect(byOrder(confirmed)).toMatchObject({
      customer_id: ana.id,
      kind: 'order_confirmed',
      title: `Order ${confirmed.replace(/-/g, '').slice(0, 8).toUpperCase()} confirmed`,
      source_event_id: confirmedEvent.id,
    });
    expect(byOrder(confirmed).body).toContain('€12.99 is confirmed');
    expect(byOrder(cancelled)).toMatchObject({ kind: 'order_cancelled', source_event_id: cancelledEvent.id });
    expect(byOrder(cancelled).body).toContain('Your payment was declined.');
    expect(byOrder(cancelled).body).not.toContain('internal detail');

    const deliveries = await inspect.deliveriesOf([confirmed, cancelled]);
    expect(deliveries.map((d) => [d.order_id, d.channel, d.status, d.attempts]).sort()).toEqual(
      [
        [confirmed, 'email', 'sent', 1],
        [confirmed, 'in_app', 'delivered', 0],
        [cancelled, 'email', 'sent', 1],
        [cancelled, 'in_app', 'delivered', 0],
      ].sort(),
    );
    for (const notification of notifications) {
      const messageId = `<notification-${notification.id}@shop.test>`;
      const email = deliveries.find((d) => d.notification_id === notification.id && d.channel === 'email')!;
      expect(email).toMatchObject({ message_id: messageId, recipient: ana.email });
      expect(email.sent_at).toBeInstanceOf(Date);
      const received = smtp.withMessageId(messageId);
      expect(received).toHaveLength(1);
      expect(received[0]!.subject).toBe(notification.title);
      expect(received[0]!.text).toContain('Hello Ana,');
      expect(received[0]!.text).toContain(notification.body);
    }
  });

  it('creates one notification and sends ONE email per channel when every event is delivered twice', async () => {
    const bob = { id: randomUUID(), email: 'bob@example.com', name: 'Bob' };
    const first = randomUUID();
    const second = randomUUID();
    const registered = upstream.userRegistered(bob.id, bob.email, bob.name);
    await publish(registered, registered);
    await allConsumed();
    const events = [
      upstream.orderConfirmed(first, bob.id),
      upstream.orderCancelled(second, bob.id, 'OUT_OF_STOCK'),
      upstream.paymentRefunded(second, bob.id),
    ];
    // Each envelope twice (same id), as a relay retry or the chaos switch would publish it,
    // plus the same outcome re-emitted under a new id (a replay upstream): the (order, kind) key holds it.
    for (const event of events) await publish(event, event);
    await publish(upstream.orderConfirmed(first, bob.id));
    await allConsumed();
    await noPendingEmails();

    const notifications = await inspect.notificationsOf([first, second]);
    expect(notifications.map((n) => [n.order_id, n.kind]).sort()).toEqual(
      [
        [first, 'order_confirmed'],
        [second, 'order_cancelled'],
        [second, 'payment_refunded'],
      ].sort(),
    );
    expect(notifications.find((n) => n.kind === 'order_confirmed')!.source_event_id).toBe(events[0]!.id);
    const deliveries = await inspect.deliveriesOf([first, second]);
    expect(deliveries).toHaveLength(6); // in_app + email for each of the 3
    expect(deliveries.filter((d) => d.channel === 'email').every((d) => d.status === 'sent')).toBe(true);
    expect(emailsTo(bob.email)).toHaveLength(3);
    for (const notification of notifications)
      expect(smtp.withMessageId(`<notification-${notification.id}@shop.test>`)).toHaveLength(1);
    const refund = emailsTo(bob.email).find((email) => email.subject.startsWith('Payment for order'));
    expect(refund?.text).toContain('We refunded the payment');
  });

  it('keeps an email whose contact is not known yet, and sends it once UserRegistered arrives', async () => {
    const carol = { id: randomUUID(), email: 'carol@example.com', name: 'Carol' };
    const order = randomUUID();
    await publish(upstream.orderConfirmed(order, carol.id));
    await allConsumed();
    // Delivered in-app at once; the email waits (the default grace period is an hour).
    const waiting = await inspect.deliveriesOf([order]);
    expect(waiting.map((d) => [d.channel, d.status, d.attempts])).toEqual([
      ['email', 'pending', 0],
      ['in_app', 'delivered', 0],
    ]);
    expect(emailsTo(carol.email)).toHaveLength(0);

    await publish(upstream.userRegistered(carol.id, carol.email, carol.name));
    await waitFor(async () => (await inspect.emailOf(order, 'order_confirmed'))?.status === 'sent', {
      timeoutMs: 60_000,
    });
    expect(emailsTo(carol.email)).toHaveLength(1);
    expect(emailsTo(carol.email)[0]!.text).toContain('Hello Carol,');
  });

  it('retries while the SMTP server is down and delivers once it is back', async () => {
    const dan = { id: randomUUID(), email: 'dan@example.com', name: 'Dan' };
    const order = randomUUID();
    await publish(upstream.userRegistered(dan.id, dan.email, dan.name));
    await allConsumed();
    await smtp.down();
    await publish(upstream.orderConfirmed(order, dan.id));

    await waitFor(async () => ((await inspect.emailOf(order, 'order_confirmed'))?.attempts ?? 0) >= 2, {
      timeoutMs: 60_000,
    });
    const failing = (await inspect.emailOf(order, 'order_confirmed'))!;
    expect(failing.status).toBe('pending');
    expect(failing.last_error).toMatch(/ECONNREFUSED/);
    expect(failing.next_attempt_at).toBeInstanceOf(Date);

    await smtp.up();
    await waitFor(async () => (await inspect.emailOf(order, 'order_confirmed'))?.status === 'sent', {
      timeoutMs: 60_000,
    });
    const sent = (await inspect.emailOf(order, 'order_confirmed'))!;
    expect(sent.attempts).toBeGreaterThanOrEqual(3);
    expect(emailsTo(dan.email)).toHaveLength(1);
    expect(smtp.withMessageId(sent.message_id!)).toHaveLength(1);
  });
});
