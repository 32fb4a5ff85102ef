/**
 * What a service's src/main.ts looks like (run as a child process by
 * process-lifecycle.int-spec.ts): telemetry first, then config, then
 * bootstrapService.
 */
import { telemetry } from './telemetry'; // FIRST: instrumentations patch modules as they load
import { bootstrapService, loadServiceConfig } from '../../index'; // a service imports '@shop/service-kit'
import { AppModule } from './app.module';
import { catalogEnv } from './config';

const config = loadServiceConfig(catalogEnv); // throws one error naming every missing/invalid variable

bootstrapService({
  name: 'catalog',
  module: AppModule.forRoot(config),
  port: config.PORT,
  host: config.HOST,
  telemetry,
}).catch(() => process.exit(1)); // the cause is already logged
