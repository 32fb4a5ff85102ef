import { Module, type DynamicModule } from '@nestjs/common';
import { databaseUrlOf } from '@shop/service-kit';
import type { OrderConfig } from '../config';
import { OrderDatabase } from './order-database';
import { OrderEventStore } from './order-event-store';
import { OrderRedis } from './order-redis';

/** Postgres, the event store on it, and Redis: global, so every capability (and the view) can inject them. */
@Module({})
export class OrderInfrastructureModule {
  static forRoot(config: OrderConfig): DynamicModule {
    return {
      module: OrderInfrastructureModule,
      global: true,
      providers: [
        { provide: OrderDatabase, useFactory: () => new OrderDatabase(databaseUrlOf('order', config)) },
        { provide: OrderRedis, useFactory: () => new OrderRedis(config.REDIS_URL, config.REDIS_KEY_PREFIX) },
        OrderEventStore,
      ],
      exports: [OrderDatabase, OrderRedis, OrderEventStore],
    };
  }
}
