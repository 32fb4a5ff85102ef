// Telemetry first: its instrumentations patch pg, kafkajs and http when they load.
import { telemetry } from './telemetry';
import { runService } from '@shop/service-kit';
import { notificationEnv } from './config';
import { NotificationModule, SERVICE_NAME } from './notification.module';

runService({
  name: SERVICE_NAME,
  env: notificationEnv,
  module: (config) => NotificationModule.forRoot(config),
  migrate: true,
  telemetry,
});
