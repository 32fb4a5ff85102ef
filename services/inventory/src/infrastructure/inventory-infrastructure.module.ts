import { Module, type DynamicModule } from '@nestjs/common';
import { databaseUrlOf } from '@shop/service-kit';
import type { InventoryConfig } from '../config';
import { InventoryDatabase } from './inventory-database';
import { InventoryRedis } from './inventory-redis';

/** Postgres and Redis connections, global so the kit's readiness and the messaging module can inject them. */
@Module({})
export class InventoryInfrastructureModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: InventoryInfrastructureModule,
      global: true,
      providers: [
        {
          provide: InventoryDatabase,
          useFactory: () =>
            new InventoryDatabase(databaseUrlOf('inventory', config), {
              poolMax: config.DATABASE_POOL_MAX,
              transactionTimeoutMs: config.DATABASE_TRANSACTION_TIMEOUT_MS,
            }),
        },
        {
          provide: InventoryRedis,
          useFactory: () => new InventoryRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX),
        },
      ],
      exports: [InventoryDatabase, InventoryRedis],
    };
  }
}
