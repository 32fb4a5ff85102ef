// Telemetry first: its instrumentations patch pg, ioredis, kafkajs and http when they load.
import { telemetry } from './telemetry';
import { bootstrapService, loadServiceConfig } from '@shop/service-kit';
import { CatalogModule, SERVICE_NAME } from './catalog.module';
import { catalogEnv } from './config';

async function main(): Promise<void> {
  const config = loadServiceConfig(catalogEnv);
  await bootstrapService({
    name: SERVICE_NAME,
    module: CatalogModule.forRoot(config),
    port: config.PORT,
    host: config.HOST,
    migrate: true,
    telemetry,
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err); // bootstrapService has logged its own failures in full
  process.exit(1);
});
