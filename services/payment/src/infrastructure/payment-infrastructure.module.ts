import { Module, type DynamicModule } from '@nestjs/common';
import { databaseUrlOf } from '@shop/service-kit';
import type { PaymentConfig } from '../config';
import { PaymentDatabase } from './payment-database';
import { PaymentRedis } from './payment-redis';

/** Postgres and Redis connections, global so the kit's readiness and the messaging module can inject them. */
@Module({})
export class PaymentInfrastructureModule {
  static forRoot(config: PaymentConfig): DynamicModule {
    return {
      module: PaymentInfrastructureModule,
      global: true,
      providers: [
        { provide: PaymentDatabase, useFactory: () => new PaymentDatabase(databaseUrlOf('payment', config)) },
        {
          provide: PaymentRedis,
          useFactory: () => new PaymentRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX),
        },
      ],
      exports: [PaymentDatabase, PaymentRedis],
    };
  }
}
