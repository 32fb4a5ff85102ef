/**
 * Boots the order service in-process on a free port with explicit settings,
 * for the integration tests (which bring their own database, Redis prefix
 * and Kafka broker). Several instances may share them, as in production.
 */
import { bootstrapService, loadServiceConfig, signIdentity, type RunningService } from '@shop/service-kit';
import type { ServiceInfrastructure } from '@shop/testing';
import { createLogger } from '@shop/telemetry';
import { orderEnv, type OrderConfig } from '../config';
import { BODY_LIMIT_BYTES, OrderModule, SERVICE_NAME } from '../order.module';

/** ORDER_TEST_LOG_LEVEL=debug shows the service's logs while debugging a suite. */
const LOG_LEVEL = process.env.ORDER_TEST_LOG_LEVEL ?? 'silent';

export const TEST_IDENTITY_SECRET = 'order-test-secret-0123456789abcdef';

export interface OrderSettings extends ServiceInfrastructure {
  /** Extra variables (e.g. SAGA_RESERVE_STOCK_TIMEOUT_MS: '1000'). */
  env?: Record<string, string>;
}

export interface RunningOrder extends RunningService {
  readonly config: OrderConfig;
}

export async function startOrder(settings: OrderSettings): Promise<RunningOrder> {
  const config = loadServiceConfig(orderEnv, {
    ORDER_DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.redisKeyPrefix,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    OUTBOX_POLL_INTERVAL_MS: '50',
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    SAGA_TIMER_POLL_INTERVAL_MS: '100',
    SAGA_SCHEDULER_LEADER_TTL_MS: '2000',
    LOG_LEVEL: LOG_LEVEL,
    ...settings.env,
  });
  const service = await bootstrapService({
    name: SERVICE_NAME,
    module: OrderModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    bodyLimitBytes: BODY_LIMIT_BYTES,
    logger: createLogger({ serviceName: SERVICE_NAME, level: LOG_LEVEL }),
  });
  return { ...service, config };
}

export const adminHeaders = (): Record<string, string> =>
  signIdentity({ userId: 'admin-1', roles: ['admin'] }, TEST_IDENTITY_SECRET);
export const customerHeaders = (userId = 'customer-1'): Record<string, string> =>
  signIdentity({ userId, roles: ['customer'] }, TEST_IDENTITY_SECRET);

export { callJson as call, type Answer, type LooseJson } from '@shop/testing';
