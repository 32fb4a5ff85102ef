// Telemetry first: its instrumentations patch pg, ioredis, kafkajs and http when they load.
import { telemetry } from './telemetry';
import { runService } from '@shop/service-kit';
import { paymentEnv } from './config';
import { SERVICE_NAME } from './ledger/payment-replies';
import { PaymentModule } from './payment.module';

runService({
  name: SERVICE_NAME,
  env: paymentEnv,
  module: (config) => PaymentModule.forRoot(config),
  migrate: true,
  telemetry,
});
