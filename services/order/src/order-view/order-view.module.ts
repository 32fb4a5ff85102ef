import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { RedisCache } from '@shop/redis';
import { consumerTuningOf, type ConsumerTuning } from '@shop/service-kit';
import { createLogger, type Logger } from '@shop/telemetry';
import type { OrderConfig } from '../config';
import { OrderDatabase } from '../infrastructure/order-database';
import { OrderEventStore } from '../infrastructure/order-event-store';
import { OrderRedis } from '../infrastructure/order-redis';
import { OrderQueries } from './order-queries';
import { OrderQueriesController } from './order-queries.controller';
import { OrderViewCache } from './order-view-cache';
import { OrderViewRebuild } from './order-view-rebuild';
import type { OrderViewConfig } from './order-view.config';
import { ORDER_VIEW_GROUP, OrderViewConsumer } from './order-view.consumer';
import { OrderViewUpdater } from './order-view-updater';
import { RebuildOrderViewController } from './rebuild-order-view.controller';

export type OrderViewModuleConfig = OrderViewConfig & Partial<Pick<OrderConfig, 'LOG_LEVEL'>>;

/**
 * The order read model (CQRS query side): the projection consuming
 * order.events, GET /orders and GET /orders/:id, and the rebuild
 * (POST /admin/order-view/rebuild). Needs the global
 * OrderInfrastructureModule (OrderDatabase, OrderRedis, OrderEventStore) and
 * the MessagingModule with `orderViewConsumerGroup(config)` in `consumers`.
 */
@Module({})
export class OrderViewModule {
  static forRoot(config: OrderViewModuleConfig): DynamicModule {
    const logger = createLogger({ serviceName: 'order', level: config.LOG_LEVEL ?? 'info' });
    const providers: Provider[] = [
      {
        provide: OrderViewCache,
        inject: [OrderRedis],
        useFactory: (redis: OrderRedis) => viewCache(redis, config, logger),
      },
      {
        provide: OrderViewUpdater,
        inject: [OrderEventStore],
        useFactory: (store: OrderEventStore) => new OrderViewUpdater(store),
      },
      {
        provide: OrderQueries,
        inject: [OrderDatabase, OrderViewCache],
        useFactory: (db: OrderDatabase, cache: OrderViewCache) => new OrderQueries(db.sql, cache),
      },
      {
        provide: OrderViewRebuild,
        inject: [OrderDatabase, OrderEventStore, OrderViewCache],
        useFactory: (db: OrderDatabase, store: OrderEventStore, cache: OrderViewCache) =>
          rebuilder(db, store, cache, config, logger),
      },
      OrderViewConsumer,
    ];
    return {
      module: OrderViewModule,
      controllers: [OrderQueriesController, RebuildOrderViewController],
      providers,
      exports: [OrderQueries, OrderViewRebuild, OrderViewCache],
    };
  }
}

/** The MessagingModule `consumers` entry of the view's group. */
export function orderViewConsumerGroup(
  config: Parameters<typeof consumerTuningOf>[0],
): ConsumerTuning & { groupId: string } {
  return { groupId: ORDER_VIEW_GROUP, ...consumerTuningOf(config) };
}

export function viewCache(redis: OrderRedis, config: OrderViewConfig, logger: Logger): OrderViewCache {
  const cached = config.ORDER_VIEW_CACHE_TTL_MS > 0 || config.ORDER_LIST_CACHE_TTL_MS > 0;
  return new OrderViewCache(
    cached
      ? new RedisCache(redis.client, {
          ttlMs: config.ORDER_VIEW_CACHE_TTL_MS,
          onRedisError: (err) =>
            logger.debug({ err }, 'order view cache: Redis unavailable, reading Postgres'),
        })
      : undefined,
    { orderTtlMs: config.ORDER_VIEW_CACHE_TTL_MS, listTtlMs: config.ORDER_LIST_CACHE_TTL_MS },
  );
}

export function rebuilder(
  db: OrderDatabase,
  store: OrderEventStore,
  cache: OrderViewCache,
  config: OrderViewConfig,
  logger: Logger,
): OrderViewRebuild {
  return new OrderViewRebuild(db.prisma, store, cache, {
    timeoutMs: config.ORDER_VIEW_REBUILD_TIMEOUT_MS,
    batchSize: config.ORDER_VIEW_REBUILD_BATCH_SIZE,
    log: (message, err) => logger.warn({ err }, message),
  });
}
