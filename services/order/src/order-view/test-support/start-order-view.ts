/**
 * Boots the order view alone in a small Nest app (infrastructure, service
 * kit, messaging with the view's consumer group, OrderViewModule) on a free
 * port, for the view's integration tests: no saga consumers or relays
 * competing for the suite's broker.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceInfrastructure } from '@shop/testing';
import { MessageRegistry, ORDER_EVENTS } from '@shop/contracts';
import { MessagingModule } from '@shop/messaging/nest';
import {
  bootstrapService,
  loadServiceConfig,
  ServiceKitModule,
  signIdentity,
  type RunningService,
} from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import { orderEnv, type OrderConfig } from '../../config';
import { OrderInfrastructureModule } from '../../infrastructure/order-infrastructure.module';
import { orderViewEnv, type OrderViewConfig } from '../order-view.config';
import { OrderViewModule, orderViewConsumerGroup } from '../order-view.module';

export const TEST_IDENTITY_SECRET = 'order-view-test-secret-0123456789abcdef';
export const orderViewTestEnv = orderEnv.extend(orderViewEnv.shape);
export type OrderViewTestConfig = OrderConfig & OrderViewConfig;

export interface OrderViewSettings extends ServiceInfrastructure {
  env?: Record<string, string>;
}

export interface RunningOrderView extends RunningService {
  readonly config: OrderViewTestConfig;
}

@Module({})
class OrderViewTestApp {
  static forRoot(config: OrderViewTestConfig): DynamicModule {
    return {
      module: OrderViewTestApp,
      imports: [
        OrderInfrastructureModule.forRoot(config),
        ServiceKitModule.forRoot({ serviceName: 'order', identitySecret: config.IDENTITY_HMAC_SECRET }),
        MessagingModule.forRoot({
          clientId: 'order-view-test',
          brokers: config.KAFKA_BROKERS,
          registry: new MessageRegistry([...ORDER_EVENTS]),
          consumers: [orderViewConsumerGroup(config)],
        }),
        OrderViewModule.forRoot(config),
      ],
    };
  }
}

export function orderViewSettings(settings: OrderViewSettings): Record<string, string> {
  return {
    ORDER_DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.redisKeyPrefix,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    LOG_LEVEL: 'silent',
    ...settings.env,
  };
}

export async function startOrderView(settings: OrderViewSettings): Promise<RunningOrderView> {
  const config = loadServiceConfig(orderViewTestEnv, orderViewSettings(settings));
  const service = await bootstrapService({
    name: 'order',
    module: OrderViewTestApp.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ serviceName: 'order', level: 'silent' }),
  });
  return { ...service, config };
}

export const customer = (userId: string): Record<string, string> =>
  signIdentity({ userId, roles: ['customer'] }, TEST_IDENTITY_SECRET);
export const admin = (): Record<string, string> =>
  signIdentity({ userId: 'admin-1', roles: ['admin'] }, TEST_IDENTITY_SECRET);

/** Answers are inspected loosely in tests; their shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: LooseJson }> {
  const response = await fetch(baseUrl + path, { method, headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
