import { telemetry } from './telemetry';
import { bootstrapService, loadServiceConfig } from '@shop/service-kit';
import { UserServiceModule } from './app.module';
import { SERVICE_NAME, userEnv } from './config';

async function main(): Promise<void> {
  const config = loadServiceConfig(userEnv);
  await bootstrapService({
    name: SERVICE_NAME,
    module: UserServiceModule.forRoot(config),
    port: config.PORT,
    host: config.HOST,
    migrate: true,
    telemetry,
  });
}

main().catch((err: unknown) => {
  // bootstrapService logs its own failures; this also shows configuration errors.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
