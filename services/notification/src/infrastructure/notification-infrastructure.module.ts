import { Module, type DynamicModule } from '@nestjs/common';
import { databaseUrlOf } from '@shop/service-kit';
import type { NotificationConfig } from '../config';
import { NotificationDatabase } from './notification-database';

/** The Postgres connection, global so the kit's readiness and the messaging module can inject it. */
@Module({})
export class NotificationInfrastructureModule {
  static forRoot(config: NotificationConfig): DynamicModule {
    return {
      module: NotificationInfrastructureModule,
      global: true,
      providers: [
        {
          provide: NotificationDatabase,
          useFactory: () =>
            new NotificationDatabase(databaseUrlOf('notification', config), {
              // A send holds its transaction for at most EMAIL_SEND_TIMEOUT_MS, plus the queries around it.
              transactionTimeoutMs: config.EMAIL_SEND_TIMEOUT_MS + 10_000,
              // One connection per sending slot, plus the consumer and the API.
              poolSize: config.EMAIL_CONCURRENCY + 6,
            }),
        },
      ],
      exports: [NotificationDatabase],
    };
  }
}
