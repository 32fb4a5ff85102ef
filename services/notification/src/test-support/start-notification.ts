/**
 * Boots the notification service in-process on a free port with explicit
 * settings, for the integration tests (which bring their own database,
 * Kafka broker, consumer group and SMTP server), plus helpers to feed it
 * events.
 */
import {
  MessageRegistry,
  ORDER_EVENTS,
  TOPICS,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPaymentRefundedV1,
  USER_MESSAGES,
  UserRegisteredV1,
  type OrderCancellationReason,
} from '@shop/contracts';
import { KafkaMessaging } from '@shop/messaging';
import { bootstrapService, loadServiceConfig, signIdentity, type RunningService } from '@shop/service-kit';
import { createLogger, metricsText } from '@shop/telemetry';
import { notificationEnv, type NotificationConfig } from '../config';
import { NotificationModule, SERVICE_NAME } from '../notification.module';

export const TEST_IDENTITY_SECRET = 'notification-test-secret-0123456789abcdef';
export const TEST_SENDER = 'Shop <no-reply@shop.test>';

export interface NotificationSettings {
  databaseUrl: string;
  kafkaBrokers: readonly string[];
  group: string;
  /** Unset: the email channel is skipped. */
  smtpUrl?: string;
  /** Extra variables (e.g. EMAIL_MAX_ATTEMPTS: '3'). */
  env?: Record<string, string>;
}

export interface RunningNotification extends RunningService {
  readonly config: NotificationConfig;
}

export async function startNotification(settings: NotificationSettings): Promise<RunningNotification> {
  const config = loadServiceConfig(notificationEnv, {
    NOTIFICATION_DATABASE_URL: settings.databaseUrl,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    NOTIFICATION_GROUP: settings.group,
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    SMTP_FROM: TEST_SENDER,
    EMAIL_POLL_INTERVAL_MS: '50',
    EMAIL_SEND_TIMEOUT_MS: '5000',
    EMAIL_RETRY_INITIAL_DELAY_MS: '100',
    EMAIL_RETRY_MAX_DELAY_MS: '500',
    LOG_LEVEL: 'silent',
    ...(settings.smtpUrl && { SMTP_URL: settings.smtpUrl }),
    ...settings.env,
  });
  const service = await bootstrapService({
    name: SERVICE_NAME,
    module: NotificationModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ serviceName: SERVICE_NAME, level: 'silent' }),
  });
  return { ...service, config };
}

/** Signed gateway headers for a customer. */
export const customerHeaders = (userId: string): Record<string, string> =>
  signIdentity({ userId, roles: ['customer'] }, TEST_IDENTITY_SECRET);

/** A publisher of the events the service consumes (what the order and user services would publish). */
export function upstreamPublisher(brokers: readonly string[]): KafkaMessaging {
  return new KafkaMessaging({
    clientId: 'notification-test-upstream',
    brokers,
    registry: new MessageRegistry([...ORDER_EVENTS, ...USER_MESSAGES]),
  });
}

const at = () => new Date().toISOString();

export const upstream = {
  userRegistered: (userId: string, email: string, name: string) =>
    UserRegisteredV1.create({
      source: 'user',
      aggregateId: userId,
      aggregateVersion: 1,
      payload: { userId, email, name, roles: ['customer'], registeredAt: at() },
    }),
  orderConfirmed: (orderId: string, customerId: string, totalCents = 4598) =>
    OrderConfirmedV1.create({
      source: 'order',
      aggregateId: orderId,
      aggregateVersion: 4,
      payload: {
        orderId,
        customerId,
        paymentId: `pay-${orderId}`,
        currency: 'EUR',
        totalCents,
        confirmedAt: at(),
      },
    }),
  orderCancelled: (orderId: string, customerId: string, reason: OrderCancellationReason) =>
    OrderCancelledV1.create({
      source: 'order',
      aggregateId: orderId,
      aggregateVersion: 3,
      payload: { orderId, customerId, reason, detail: 'internal detail', cancelledAt: at() },
    }),
  paymentRefunded: (orderId: string, customerId: string) =>
    OrderPaymentRefundedV1.create({
      source: 'order',
      aggregateId: orderId,
      aggregateVersion: 5,
      payload: { orderId, customerId, paymentId: `pay-${orderId}`, recordedAt: at() },
    }),
};

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** Answers are inspected loosely in tests; their shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export async function get<T = LooseJson>(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const response = await fetch(baseUrl + path, { headers });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The topics the service reads, with their real names, on the suite's dedicated broker. */
export async function createConsumedTopics(kafka: {
  faults?: { createTopic(name: string, partitions: number): Promise<unknown> };
}): Promise<void> {
  if (!kafka.faults) throw new Error('the notification suites need a dedicated dev broker');
  for (const topic of [TOPICS.orderEvents, TOPICS.userEvents])
    await kafka.faults.createTopic(topic.name, topic.partitions);
}

/**
 * Messages the consumer group finished with (handled, duplicates included),
 * from the messaging library's counter in this process: the way to know that
 * a redelivered copy has been processed, not just the first one.
 */
export async function consumedCount(group: string): Promise<number> {
  const text = await metricsText();
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('shop_messaging_consumed_total{') && line.includes(`group="${group}"`))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}
