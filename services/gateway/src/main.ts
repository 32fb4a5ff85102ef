// Telemetry first: its instrumentations patch http and undici when they load.
import { telemetry } from './telemetry';
import { runService } from '@shop/service-kit';
import { gatewayEnv } from './config';
import { GatewayModule, SERVICE_NAME } from './gateway.module';

runService({
  name: SERVICE_NAME,
  env: gatewayEnv,
  module: (config) => GatewayModule.forRoot(config),
  telemetry,
});
