import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthModule, type HealthModuleAsyncOptions, type HealthModuleOptions } from '@shop/health';
import { TelemetryModule } from '@shop/telemetry';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { RequestIdInstaller } from './errors/request-id.installer';
import { IDENTITY_SECRET } from './identity/identity.guards';
import { assertIdentitySecret } from './identity/identity-signature';

export interface ServiceKitOptions {
  /** The `service` label of metrics; must match bootstrapService's `name`. */
  serviceName: string;
  /** IDENTITY_HMAC_SECRET: what AuthenticatedGuard/RolesGuard check the gateway's signature with. */
  identitySecret: string;
  /**
   * What GET /health/ready checks: `{ checks: [...] }`, or built from
   * providers with `{ imports, inject, useFactory }` (see @shop/health).
   * None by default (ready whenever live).
   */
  readiness?: HealthModuleOptions | HealthModuleAsyncOptions;
}

export const SERVICE_KIT_OPTIONS = Symbol('SERVICE_KIT_OPTIONS');

/**
 * What every service's root module imports, so all of them behave alike:
 * GET /metrics and the HTTP histogram (TelemetryModule), GET /health/live and
 * /health/ready (HealthModule), the global error filter, request ids, and the
 * identity secret for the guards. Global: guards in any module resolve it.
 *
 *   @Module({ imports: [ServiceKitModule.forRoot({ serviceName: 'order', identitySecret: config.IDENTITY_HMAC_SECRET })] })
 */
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    assertIdentitySecret(options.identitySecret);
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        TelemetryModule.forRoot({ serviceName: options.serviceName }),
        healthModule(options.readiness),
      ],
      providers: [
        { provide: SERVICE_KIT_OPTIONS, useValue: options },
        { provide: IDENTITY_SECRET, useValue: options.identitySecret },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        RequestIdInstaller,
      ],
      exports: [SERVICE_KIT_OPTIONS, IDENTITY_SECRET],
    };
  }
}

function healthModule(readiness: ServiceKitOptions['readiness'] = { checks: [] }): DynamicModule {
  return 'useFactory' in readiness ? HealthModule.forRootAsync(readiness) : HealthModule.forRoot(readiness);
}
