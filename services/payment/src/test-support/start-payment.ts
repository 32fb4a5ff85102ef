/**
 * Boots the payment service in-process on a free port with explicit
 * settings, for the integration tests (which bring their own database, Redis
 * prefix, dedicated Kafka broker and consumer group).
 */
import { bootstrapService, loadServiceConfig, signIdentity, type RunningService } from '@shop/service-kit';
import type { ServiceInfrastructure } from '@shop/testing';
import { createLogger } from '@shop/telemetry';
import { paymentEnv, type PaymentConfig } from '../config';
import { SERVICE_NAME } from '../ledger/payment-replies';
import { PaymentModule } from '../payment.module';

export const TEST_IDENTITY_SECRET = 'payment-test-secret-0123456789abcdef';

export interface PaymentSettings extends ServiceInfrastructure {
  commandsGroup: string;
  /** Extra variables (e.g. PROVIDER_TIMEOUT_MS: '300'). */
  env?: Record<string, string>;
}

export interface RunningPayment extends RunningService {
  readonly config: PaymentConfig;
}

export async function startPayment(settings: PaymentSettings): Promise<RunningPayment> {
  const config = loadServiceConfig(paymentEnv, {
    PAYMENT_DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.redisKeyPrefix,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    PAYMENT_COMMANDS_GROUP: settings.commandsGroup,
    OUTBOX_POLL_INTERVAL_MS: '50',
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    // PAYMENT_TEST_LOG_LEVEL=info shows the service's logs while debugging a test.
    LOG_LEVEL: process.env.PAYMENT_TEST_LOG_LEVEL ?? 'silent',
    ...settings.env,
  });
  const service = await bootstrapService({
    name: SERVICE_NAME,
    module: PaymentModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL }),
  });
  return { ...service, config };
}

export const adminHeaders = (): Record<string, string> =>
  signIdentity({ userId: 'admin-1', roles: ['admin'] }, TEST_IDENTITY_SECRET);
export const customerHeaders = (): Record<string, string> =>
  signIdentity({ userId: 'customer-1', roles: ['customer'] }, TEST_IDENTITY_SECRET);

export { callJson as call, type Answer, type LooseJson } from '@shop/testing';
