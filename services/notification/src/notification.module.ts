import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { MessageRegistry, ORDER_EVENTS, USER_MESSAGES } from '@shop/contracts';
import { postgresCheck } from '@shop/health';
import { MessagingModule } from '@shop/messaging/nest';
import { messagingLoggerOf } from '@shop/messaging';
import { consumerTuningOf, ServiceKitModule } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import type { NotificationConfig } from './config';
import { ContactReplicaConsumer } from './contacts/contact-replica.consumer';
import { EmailDeliveryService } from './email-delivery/email-delivery.service';
import { EmailDeliveryWorker } from './email-delivery/email-delivery.worker';
import { SmtpMailer } from './email-delivery/mailer';
import { NotificationDatabase } from './infrastructure/notification-database';
import { NotificationInfrastructureModule } from './infrastructure/notification-infrastructure.module';
import { ListNotificationsController } from './list-notifications/list-notifications.controller';
import { ListNotificationsHandler } from './list-notifications/list-notifications.handler';
import { NotificationRecorder } from './notify-order-outcome/notification-recorder';
import { OrderOutcomeConsumer } from './notify-order-outcome/order-outcome.consumer';

export const SERVICE_NAME = 'notification';

@Module({})
export class NotificationModule {
  /** The notification service's root module for this configuration (main.ts and tests build it). */
  static forRoot(config: NotificationConfig): DynamicModule {
    const logger = createLogger({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL });
    const providers: Provider[] = [
      {
        provide: NotificationRecorder,
        useFactory: () =>
          new NotificationRecorder({ smtpConfigured: config.SMTP_URL !== undefined, now: () => new Date() }),
      },
      {
        provide: ListNotificationsHandler,
        inject: [NotificationDatabase],
        useFactory: (db: NotificationDatabase) => new ListNotificationsHandler(db.sql),
      },
      {
        provide: EmailDeliveryService,
        inject: [NotificationDatabase],
        useFactory: (db: NotificationDatabase) => {
          if (config.SMTP_URL === undefined) return new EmailDeliveryService(undefined);
          const mailer = new SmtpMailer(config.SMTP_URL, config.EMAIL_SEND_TIMEOUT_MS);
          const worker = new EmailDeliveryWorker({
            sql: db.sql,
            mailer,
            from: config.SMTP_FROM,
            retry: {
              maxAttempts: config.EMAIL_MAX_ATTEMPTS,
              initialDelayMs: config.EMAIL_RETRY_INITIAL_DELAY_MS,
              maxDelayMs: config.EMAIL_RETRY_MAX_DELAY_MS,
            },
            contactGraceMs: config.EMAIL_CONTACT_GRACE_MS,
            pollIntervalMs: config.EMAIL_POLL_INTERVAL_MS,
            concurrency: config.EMAIL_CONCURRENCY,
            logger,
          });
          return new EmailDeliveryService({ worker, mailer });
        },
      },
      OrderOutcomeConsumer,
      ContactReplicaConsumer,
    ];
    return {
      module: NotificationModule,
      imports: [
        NotificationInfrastructureModule.forRoot(config),
        ServiceKitModule.forRoot({
          serviceName: SERVICE_NAME,
          identitySecret: config.IDENTITY_HMAC_SECRET,
          // Not SMTP: without it the service still records and lists notifications (emails retry later).
          readiness: {
            inject: [NotificationDatabase],
            useFactory: (db: NotificationDatabase) => ({ checks: [postgresCheck({ database: db.sql })] }),
          },
        }),
        // Publishes nothing, so no outbox and no relay: it only consumes.
        MessagingModule.forRootAsync({
          useFactory: () => ({
            clientId: SERVICE_NAME,
            brokers: config.KAFKA_BROKERS,
            registry: new MessageRegistry([...ORDER_EVENTS, ...USER_MESSAGES]),
            consumers: [{ groupId: config.NOTIFICATION_GROUP, ...consumerTuningOf(config) }],
            logger: messagingLoggerOf(logger),
          }),
        }),
      ],
      controllers: [ListNotificationsController],
      providers,
    };
  }
}
