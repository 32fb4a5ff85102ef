// Telemetry first: its instrumentations patch pg, ioredis, kafkajs and http when they load.
import { telemetry } from './telemetry';
import { runService } from '@shop/service-kit';
import { orderEnv } from './config';
import { BODY_LIMIT_BYTES, OrderModule, SERVICE_NAME } from './order.module';

runService({
  name: SERVICE_NAME,
  env: orderEnv,
  module: (config) => OrderModule.forRoot(config),
  migrate: true,
  bodyLimitBytes: BODY_LIMIT_BYTES,
  telemetry,
});
