import { Module, type DynamicModule } from '@nestjs/common';
import { databaseUrlOf } from '@shop/service-kit';
import type { CatalogConfig } from '../config';
import { CatalogDatabase } from './catalog-database';
import { CatalogRedis } from './catalog-redis';

/** Postgres and Redis connections, global so the kit's readiness and the messaging module can inject them. */
@Module({})
export class CatalogInfrastructureModule {
  static forRoot(config: CatalogConfig): DynamicModule {
    return {
      module: CatalogInfrastructureModule,
      global: true,
      providers: [
        { provide: CatalogDatabase, useFactory: () => new CatalogDatabase(databaseUrlOf('catalog', config)) },
        {
          provide: CatalogRedis,
          useFactory: () => new CatalogRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX),
        },
      ],
      exports: [CatalogDatabase, CatalogRedis],
    };
  }
}
