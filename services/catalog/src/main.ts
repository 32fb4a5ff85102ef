// Telemetry first: its instrumentations patch pg, ioredis, kafkajs and http when they load.
import { telemetry } from './telemetry';
import { runService } from '@shop/service-kit';
import { CatalogModule, SERVICE_NAME } from './catalog.module';
import { catalogEnv } from './config';

runService({
  name: SERVICE_NAME,
  env: catalogEnv,
  module: (config) => CatalogModule.forRoot(config),
  migrate: true,
  telemetry,
});
