import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { catalogEvents, MessageRegistry, type CatalogEventDefinitions } from '@shop/contracts';
import { postgresCheck } from '@shop/health';
import { OutboxWriter, messagingLoggerOf } from '@shop/messaging';
import { MessagingModule } from '@shop/messaging/nest';
import { RedisCache } from '@shop/redis';
import { consumerTuningOf, ServiceKitModule } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import type { CatalogConfig } from './config';
import { CatalogDatabase } from './infrastructure/catalog-database';
import { CatalogInfrastructureModule } from './infrastructure/catalog-infrastructure.module';
import { CatalogRedis } from './infrastructure/catalog-redis';
import { CacheInvalidationConsumer } from './products/cache-invalidation/cache-invalidation.consumer';
import { CreateProductController } from './products/create-product/create-product.controller';
import { CreateProductHandler } from './products/create-product/create-product.handler';
import { DiscontinueProductController } from './products/discontinue-product/discontinue-product.controller';
import { DiscontinueProductHandler } from './products/discontinue-product/discontinue-product.handler';
import { GetProductController } from './products/get-product/get-product.controller';
import { GetProductHandler } from './products/get-product/get-product.handler';
import { ListProductsController } from './products/list-products/list-products.controller';
import { ListProductsHandler } from './products/list-products/list-products.handler';
import { ProductCache } from './products/shared/product-cache';
import { ProductStore } from './products/shared/product-store';
import { UpdateProductController } from './products/update-product/update-product.controller';
import { UpdateProductHandler } from './products/update-product/update-product.handler';

export const SERVICE_NAME = 'catalog';
const CATALOG_EVENTS = Symbol('CATALOG_EVENTS');

@Module({})
export class CatalogModule {
  /** The catalog's root module for this configuration (main.ts, tests and the benchmark build it). */
  static forRoot(config: CatalogConfig): DynamicModule {
    const events = catalogEvents(config.CATALOG_EVENTS_TOPIC);
    const logger = createLogger({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL });
    const providers: Provider[] = [
      { provide: CATALOG_EVENTS, useValue: events },
      {
        provide: ProductCache,
        inject: [CatalogRedis],
        useFactory: (redis: CatalogRedis) =>
          new ProductCache(
            config.PRODUCT_CACHE_TTL_MS > 0
              ? new RedisCache(redis.client, { ttlMs: config.PRODUCT_CACHE_TTL_MS })
              : undefined,
            {
              productTtlMs: config.PRODUCT_CACHE_TTL_MS,
              listTtlMs: config.LIST_CACHE_TTL_MS,
              log: (message, err) => logger.warn({ err }, message),
            },
          ),
      },
      {
        provide: ProductStore,
        inject: [CatalogDatabase, OutboxWriter, CATALOG_EVENTS],
        useFactory: (db: CatalogDatabase, outbox: OutboxWriter, defs: CatalogEventDefinitions) =>
          new ProductStore(db, outbox, defs),
      },
      handler(CreateProductHandler, [ProductStore, ProductCache]),
      handler(UpdateProductHandler, [ProductStore, ProductCache]),
      handler(DiscontinueProductHandler, [ProductStore, ProductCache]),
      handler(GetProductHandler, [CatalogDatabase, ProductCache]),
      handler(ListProductsHandler, [CatalogDatabase, ProductCache]),
      CacheInvalidationConsumer,
    ];
    return {
      module: CatalogModule,
      imports: [
        CatalogInfrastructureModule.forRoot(config),
        ServiceKitModule.forRoot({
          serviceName: SERVICE_NAME,
          identitySecret: config.IDENTITY_HMAC_SECRET,
          // Not Redis: the catalog serves (slower) without it.
          readiness: {
            inject: [CatalogDatabase],
            useFactory: (db: CatalogDatabase) => ({ checks: [postgresCheck({ database: db.sql })] }),
          },
        }),
        MessagingModule.forRootAsync({
          inject: [CatalogDatabase],
          useFactory: (db: CatalogDatabase) => ({
            clientId: SERVICE_NAME,
            brokers: config.KAFKA_BROKERS,
            registry: new MessageRegistry([...events.all]),
            consumers: [{ groupId: config.CATALOG_CACHE_GROUP, ...consumerTuningOf(config) }],
            outboxRelay: { sql: db.sql, name: SERVICE_NAME, pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS },
            logger: messagingLoggerOf(logger),
          }),
        }),
      ],
      controllers: [
        CreateProductController,
        UpdateProductController,
        DiscontinueProductController,
        ListProductsController,
        GetProductController,
      ],
      providers,
    };
  }
}

/** A plain handler class built from other providers (no decorators in the capability's core). */
function handler<A extends unknown[]>(
  type: new (...args: A) => object,
  inject: { [K in keyof A]: unknown },
): Provider {
  return { provide: type, inject: inject as never[], useFactory: (...deps: A) => new type(...deps) };
}
