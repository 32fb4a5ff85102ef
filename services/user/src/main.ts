// Telemetry first: its instrumentations patch pg, ioredis, kafkajs and http when they load.
import { telemetry } from './telemetry';
import { runService } from '@shop/service-kit';
import { UserServiceModule } from './app.module';
import { SERVICE_NAME, userEnv } from './config';

runService({
  name: SERVICE_NAME,
  env: userEnv,
  module: (config) => UserServiceModule.forRoot(config),
  migrate: true,
  telemetry,
});
