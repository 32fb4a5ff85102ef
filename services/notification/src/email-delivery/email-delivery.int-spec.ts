import { randomUUID } from 'node:crypto';
import { migrationsOf } from '@shop/persistence';
import { createLogger } from '@shop/telemetry';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { orderOutcomeText } from '../domain/order-outcome-messages';
import { NotificationDatabase } from '../infrastructure/notification-database';
import { NotificationRecorder } from '../notify-order-outcome/notification-recorder';
import { InspectDatabase } from '../test-support/inspect-database';
import { SmtpTestServer } from '../test-support/smtp-test-server';
import { EmailDeliveryWorker } from './email-delivery.worker';
import { SmtpMailer } from './mailer';

const GRACE_MS = 60_000;
const retry = { maxAttempts: 3, initialDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * The delivery worker step by step (deliverNext, a controlled clock) on the
 * real database and a real SMTP server: contact grace period, retry schedule,
 * permanent rejections, attempts running out.
 */
describe('email delivery worker', () => {
  let env: TestEnvironment;
  let database: NotificationDatabase;
  let inspect: InspectDatabase;
  let smtp: SmtpTestServer;
  let mailer: SmtpMailer;
  let clock: Date;

  beforeAll(async () => {
    env = await createTestEnvironment('notification-delivery', { postgres: migrationsOf('notification') });
    database = new NotificationDatabase(env.postgres.url, { transactionTimeoutMs: 15_000, poolSize: 4 });
    inspect = new InspectDatabase(database.sql);
    smtp = await SmtpTestServer.start({ rejectRecipients: ['gone@example.com'] });
    mailer = new SmtpMailer(smtp.url, 5_000);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.down();
    await database?.onApplicationShutdown();
    await env?.dispose();
  });
  beforeEach(async () => {
    // Each test starts from no due email (the clock is per test).
    await database.sql.query(`DELETE FROM notifications`);
    clock = new Date('2026-11-21T10:00:00.000Z');
  });

  const worker = () =>
    new EmailDeliveryWorker({
      sql: database.sql,
      mailer,
      from: 'Shop <no-reply@shop.test>',
      retry,
      contactGraceMs: GRACE_MS,
      pollIntervalMs: 1_000,
      concurrency: 1,
      logger: createLogger({ serviceName: 'notification', level: 'silent' }),
      now: () => clock,
    });
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const addContact = (userId: string, email: string, name: string) =>
    database.sql.query(`INSERT INTO contacts (user_id, email, name) VALUES ($1, $2, $3)`, [
      userId,
      email,
      name,
    ]);
  const createNotification = async (customerId: string) => {
    const orderId = randomUUID();
    const recorder = new NotificationRecorder({ smtpConfigured: true, now: () => clock });
    await database.sql.transaction((tx) =>
      recorder.record(tx, {
        customerId,
        orderId,
        text: orderOutcomeText({ type: 'refunded', orderId }),
        sourceEventId: randomUUID(),
      }),
    );
    return orderId;
  };
  const email = async (orderId: string) => (await inspect.emailOf(orderId, 'payment_refunded'))!;

  it('waits for an unknown contact during the grace period, then sends when it arrives', async () => {
    const customer = randomUUID();
    const order = await createNotification(customer);
    later(GRACE_MS - 1);
    expect(await worker().deliverNext()).toBe(false);
    expect(await email(order)).toMatchObject({ status: 'pending', attempts: 0 });

    await addContact(customer, 'late@example.com', 'Late');
    expect(await worker().deliverNext()).toBe(true);
    expect(await email(order)).toMatchObject({ status: 'sent', attempts: 1, recipient: 'late@example.com' });
    expect(smtp.withMessageId((await email(order)).message_id!)).toHaveLength(1);
  });

  it('skips the email with contact_unknown once the grace period is over', async () => {
    const order = await createNotification(randomUUID());
    later(GRACE_MS);
    expect(await worker().deliverNext()).toBe(true);
    expect(await email(order)).toMatchObject({ status: 'skipped', reason: 'contact_unknown', attempts: 0 });
    expect(await worker().deliverNext()).toBe(false);
  });

  it('retries on the backoff schedule and marks the email failed when the attempts run out', async () => {
    const customer = randomUUID();
    await addContact(customer, 'retry@example.com', 'Retry');
    const order = await createNotification(customer);
    const sentBefore = smtp.received.length;
    await smtp.down();
    try {
      const start = clock.getTime();
      expect(await worker().deliverNext()).toBe(true);
      expect(await email(order)).toMatchObject({ status: 'pending', attempts: 1 });
      expect((await email(order)).next_attempt_at).toEqual(new Date(start + 1_000));
      expect((await email(order)).last_error).toMatch(/ECONNREFUSED/);

      later(999);
      expect(await worker().deliverNext()).toBe(false); // not due yet
      later(1);
      expect(await worker().deliverNext()).toBe(true);
      expect(await email(order)).toMatchObject({ status: 'pending', attempts: 2 });
      expect((await email(order)).next_attempt_at).toEqual(new Date(clock.getTime() + 2_000));

      later(2_000);
      expect(await worker().deliverNext()).toBe(true);
      expect(await email(order)).toMatchObject({
        status: 'failed',
        reason: 'retries_exhausted',
        attempts: 3,
      });
      expect((await email(order)).next_attempt_at).toBeNull();
      later(3_600_000);
      expect(await worker().deliverNext()).toBe(false); // failed is final
    } finally {
      await smtp.up();
    }
    expect(smtp.received.length).toBe(sentBefore);
  });

  it('marks an email rejected for good (5xx) failed at once', async () => {
    const customer = randomUUID();
    await addContact(customer, 'gone@example.com', 'Gone');
    const order = await createNotification(customer);
    expect(await worker().deliverNext()).toBe(true);
    expect(await email(order)).toMatchObject({ status: 'failed', reason: 'smtp_rejected', attempts: 1 });
    expect((await email(order)).last_error).toMatch(/^550 /);
  });

  it('never sends a row another worker holds', async () => {
    const customer = randomUUID();
    await addContact(customer, 'held@example.com', 'Held');
    const order = await createNotification(customer);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Another instance's transaction holds the row lock, as a worker does while it sends.
    const holder = database.sql.transaction(async (tx) => {
      await tx.query(
        `SELECT 1 FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
          WHERE n.order_id = $1 AND d.channel = 'email' FOR UPDATE OF d`,
        [order],
      );
      await held;
    });
    try {
      await waitFor(() => isLocked(database, order));
      expect(await worker().deliverNext()).toBe(false); // skipped, not waited for
      expect(await email(order)).toMatchObject({ status: 'pending', attempts: 0 });
    } finally {
      release();
      await holder;
    }
    expect(await worker().deliverNext()).toBe(true);
    expect(await email(order)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

/** Whether some transaction holds the row lock of the order's email delivery. */
async function isLocked(database: NotificationDatabase, orderId: string): Promise<boolean> {
  const [row] = await database.sql.query<{ locked: boolean }>(
    `SELECT NOT EXISTS (
       SELECT 1 FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE n.order_id = $1 AND d.channel = 'email' FOR UPDATE OF d SKIP LOCKED
     ) AS locked`,
    [orderId],
  );
  return row!.locked;
}
