import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { MessageRegistry, PAYMENT_COMMANDS, PAYMENT_EVENTS } from '@shop/contracts';
import { postgresCheck } from '@shop/health';
import { OutboxWriter, messagingLoggerOf } from '@shop/messaging';
import { MessagingModule } from '@shop/messaging/nest';
import { consumerTuningOf, ServiceKitModule } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import { AuthorizePaymentHandler } from './authorize-payment/authorize-payment.handler';
import { CapturePaymentHandler } from './capture-payment/capture-payment.handler';
import type { PaymentConfig } from './config';
import { GetPaymentController } from './get-payment/get-payment.controller';
import { PaymentDatabase } from './infrastructure/payment-database';
import { PaymentInfrastructureModule } from './infrastructure/payment-infrastructure.module';
import { PaymentRedis } from './infrastructure/payment-redis';
import { PaymentCommandRunner } from './ledger/payment-command-runner';
import { PaymentLedger } from './ledger/payment-ledger';
import { SERVICE_NAME } from './ledger/payment-replies';
import { PAYMENT_LOGGER } from './ledger/tokens';
import { ProviderAdminController } from './provider/provider-admin.controller';
import { ProviderBehaviourStore } from './provider/provider-behaviour';
import { PaymentProviderClient } from './provider/provider-client';
import { SimulatedProvider } from './provider/simulated-provider';
import { RefundPaymentHandler } from './refund-payment/refund-payment.handler';
import { VoidPaymentHandler } from './void-payment/void-payment.handler';

@Module({})
export class PaymentModule {
  /** The payment service's root module for this configuration (main.ts and the tests build it). */
  static forRoot(config: PaymentConfig): DynamicModule {
    const logger = createLogger({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL });
    const providers: Provider[] = [
      { provide: PAYMENT_LOGGER, useValue: logger },
      {
        provide: ProviderBehaviourStore,
        inject: [PaymentRedis],
        useFactory: (redis: PaymentRedis) =>
          new ProviderBehaviourStore(
            redis.client,
            { failureRate: config.PROVIDER_FAILURE_RATE, latencyMs: config.PROVIDER_LATENCY_MS },
            (message, err) => logger.warn({ err }, message),
          ),
      },
      {
        provide: SimulatedProvider,
        inject: [PaymentDatabase, ProviderBehaviourStore],
        useFactory: (db: PaymentDatabase, behaviour: ProviderBehaviourStore) =>
          new SimulatedProvider(db.sql, behaviour),
      },
      {
        provide: PaymentProviderClient,
        inject: [SimulatedProvider],
        useFactory: (provider: SimulatedProvider) =>
          new PaymentProviderClient(provider, {
            timeoutMs: config.PROVIDER_TIMEOUT_MS,
            deadlineMs: Math.floor(config.SAGA_REPLY_TIMEOUT_MS / 2),
            volumeThreshold: config.PROVIDER_BREAKER_VOLUME_THRESHOLD,
            errorThresholdPercentage: config.PROVIDER_BREAKER_ERROR_PERCENT,
            resetTimeoutMs: config.PROVIDER_BREAKER_RESET_MS,
            logger,
          }),
      },
      {
        provide: PaymentLedger,
        inject: [PaymentDatabase],
        useFactory: (db: PaymentDatabase) => new PaymentLedger(db.sql),
      },
      {
        provide: PaymentCommandRunner,
        inject: [PaymentDatabase, PaymentLedger, OutboxWriter],
        useFactory: (db: PaymentDatabase, ledger: PaymentLedger, outbox: OutboxWriter) =>
          new PaymentCommandRunner(db.sql, ledger, outbox),
      },
      AuthorizePaymentHandler,
      CapturePaymentHandler,
      VoidPaymentHandler,
      RefundPaymentHandler,
    ];
    return {
      module: PaymentModule,
      imports: [
        PaymentInfrastructureModule.forRoot(config),
        ServiceKitModule.forRoot({
          serviceName: SERVICE_NAME,
          identitySecret: config.IDENTITY_HMAC_SECRET,
          // Not Redis: without it the provider runs on the env defaults.
          readiness: {
            inject: [PaymentDatabase],
            useFactory: (db: PaymentDatabase) => ({ checks: [postgresCheck({ database: db.sql })] }),
          },
        }),
        MessagingModule.forRootAsync({
          inject: [PaymentDatabase],
          useFactory: (db: PaymentDatabase) => ({
            clientId: SERVICE_NAME,
            brokers: config.KAFKA_BROKERS,
            registry: new MessageRegistry([...PAYMENT_COMMANDS, ...PAYMENT_EVENTS]),
            consumers: [
              {
                groupId: config.PAYMENT_COMMANDS_GROUP,
                ...consumerTuningOf(config),
                retry: { maxAttempts: config.COMMAND_MAX_ATTEMPTS },
              },
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
      ],
      controllers: [GetPaymentController, ProviderAdminController],
      providers,
    };
  }
}
