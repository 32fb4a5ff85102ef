/**
 * What a service's src/main.ts looks like (run as a child process by
 * process-lifecycle.int-spec.ts): telemetry first, then runService.
 */
import { telemetry } from './telemetry'; // FIRST: instrumentations patch modules as they load
import { runService } from '../../index'; // a service imports '@shop/service-kit'
import { AppModule } from './app.module';
import { catalogEnv } from './config';

runService({ name: 'catalog', env: catalogEnv, module: (config) => AppModule.forRoot(config), telemetry });
