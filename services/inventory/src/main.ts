// Telemetry first: its instrumentations patch pg, ioredis, kafkajs and http when they load.
import { telemetry } from './telemetry';
import { runService } from '@shop/service-kit';
import { inventoryEnv } from './config';
import { InventoryModule, SERVICE_NAME } from './inventory.module';

runService({
  name: SERVICE_NAME,
  env: inventoryEnv,
  module: (config) => InventoryModule.forRoot(config),
  migrate: true,
  telemetry,
});
