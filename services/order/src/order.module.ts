import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CATALOG_EVENTS, MessageRegistry, ORDER_EVENTS } from '@shop/contracts';
import { postgresCheck } from '@shop/health';
import { OutboxWriter, messagingLoggerOf } from '@shop/messaging';
import { MessagingModule } from '@shop/messaging/nest';
import { consumerTuningOf, ServiceKitModule } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import { CancelOrderController } from './cancel-order/cancel-order.controller';
import { CancelOrderHandler } from './cancel-order/cancel-order.handler';
import { ORDER_GROUPS, sagaPolicyOf, type OrderConfig } from './config';
import { OrderDatabase } from './infrastructure/order-database';
import { OrderEventStore } from './infrastructure/order-event-store';
import { OrderInfrastructureModule } from './infrastructure/order-infrastructure.module';
import { OrderRedis } from './infrastructure/order-redis';
import { OrderViewModule, orderViewConsumerGroup } from './order-view/order-view.module';
import { ParkedSagasController } from './parked-sagas/parked-sagas.controller';
import { ParkedSagasHandler } from './parked-sagas/parked-sagas.handler';
import { PlaceOrderController } from './place-order/place-order.controller';
import { PlaceOrderHandler } from './place-order/place-order.handler';
import { SAGA_MESSAGES } from './placement-saga/saga-contracts';
import { SAGA_LOGGER, SagaRepliesConsumer } from './placement-saga/saga-replies.consumer';
import { SagaRunner } from './placement-saga/saga-runner';
import { SagaTimerScheduler } from './placement-saga/saga-timer-scheduler';
import { SagaTimerSchedulerLifecycle } from './placement-saga/saga-timer-scheduler.lifecycle';
import { PriceReplicaConsumer } from './price-replica/price-replica.consumer';
import { orderRepository, type OrderRepository } from './shared/order-stream';

export const SERVICE_NAME = 'order';
/** Largest accepted request body: an order of 200 lines is far below it. */
export const BODY_LIMIT_BYTES = 64 * 1024;
const ORDER_REPOSITORY = Symbol('ORDER_REPOSITORY');

@Module({})
export class OrderModule {
  /** The order service's root module for this configuration (main.ts and tests build it). */
  static forRoot(config: OrderConfig): DynamicModule {
    const logger = createLogger({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL });
    const policy = sagaPolicyOf(config);
    const registry = new MessageRegistry([...ORDER_EVENTS, ...SAGA_MESSAGES, ...CATALOG_EVENTS.all]);
    const providers: Provider[] = [
      { provide: SAGA_LOGGER, useValue: logger },
      {
        provide: ORDER_REPOSITORY,
        inject: [OrderEventStore],
        useFactory: (store: OrderEventStore) => orderRepository(store),
      },
      {
        provide: SagaRunner,
        inject: [ORDER_REPOSITORY, OutboxWriter],
        useFactory: (orders: OrderRepository, outbox: OutboxWriter) =>
          new SagaRunner(orders, outbox, policy, logger),
      },
      {
        provide: SagaTimerScheduler,
        inject: [OrderRedis, OrderDatabase, SagaRunner],
        useFactory: (redis: OrderRedis, db: OrderDatabase, runner: SagaRunner) =>
          new SagaTimerScheduler(redis.client, db.sql, runner, logger, {
            pollIntervalMs: config.SAGA_TIMER_POLL_INTERVAL_MS,
            leaderTtlMs: config.SAGA_SCHEDULER_LEADER_TTL_MS,
          }),
      },
      SagaTimerSchedulerLifecycle,
      {
        provide: PlaceOrderHandler,
        inject: [OrderDatabase, ORDER_REPOSITORY, OutboxWriter],
        useFactory: (db: OrderDatabase, orders: OrderRepository, outbox: OutboxWriter) =>
          new PlaceOrderHandler(db.sql, orders, outbox, policy),
      },
      {
        provide: CancelOrderHandler,
        inject: [OrderDatabase, SagaRunner],
        useFactory: (db: OrderDatabase, runner: SagaRunner) => new CancelOrderHandler(db.sql, runner),
      },
      {
        provide: ParkedSagasHandler,
        inject: [OrderDatabase, SagaRunner],
        useFactory: (db: OrderDatabase, runner: SagaRunner) => new ParkedSagasHandler(db.sql, runner),
      },
      SagaRepliesConsumer,
      PriceReplicaConsumer,
    ];
    const consumer = consumerTuningOf(config);
    return {
      module: OrderModule,
      imports: [
        OrderInfrastructureModule.forRoot(config),
        ServiceKitModule.forRoot({
          serviceName: SERVICE_NAME,
          identitySecret: config.IDENTITY_HMAC_SECRET,
          readiness: {
            inject: [OrderDatabase],
            useFactory: (db: OrderDatabase) => ({ checks: [postgresCheck({ database: db.sql })] }),
          },
        }),
        MessagingModule.forRootAsync({
          inject: [OrderDatabase],
          useFactory: (db: OrderDatabase) => ({
            clientId: SERVICE_NAME,
            brokers: config.KAFKA_BROKERS,
            registry,
            consumers: [
              { groupId: ORDER_GROUPS.saga, ...consumer },
              { groupId: ORDER_GROUPS.priceReplica, ...consumer },
              orderViewConsumerGroup(config),
            ],
            outboxRelay: {
              sql: db.sql,
              name: SERVICE_NAME,
              pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
              duplicateEveryMessage: config.CHAOS_DUPLICATE_DELIVERY,
            },
            logger: messagingLoggerOf(logger),
          }),
        }),
        OrderViewModule.forRoot(config),
      ],
      controllers: [PlaceOrderController, CancelOrderController, ParkedSagasController],
      providers,
    };
  }
}
