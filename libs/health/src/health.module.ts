import {
  Controller,
  Get,
  Inject,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type Provider,
} from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { ReadinessCheck } from './readiness-check';

export interface HealthModuleOptions {
  /** What readiness depends on; liveness never runs them. */
  checks: readonly ReadinessCheck[];
}

export interface HealthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Builds the options from providers, e.g. the service's pg Pool and Kafka client. */
  useFactory: (...deps: never[]) => HealthModuleOptions | Promise<HealthModuleOptions>;
  inject?: FactoryProvider['inject'];
}

const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

/**
 * GET /health/live: the process serves HTTP (no dependency checks, so a
 * dependency outage never makes Kubernetes restart healthy pods).
 * GET /health/ready: every check in parallel; 200 when all are up, else 503.
 * Both answer terminus's shape: { status, info, error, details }.
 */
@Controller('health')
export class HealthController {
  // Explicit tokens: DI must not depend on emitted type metadata.
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly options: HealthModuleOptions,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check(
      this.options.checks.map(
        (c) => () =>
          this.indicators
            .check(c.name)
            .attempt(({ signal }) => c.check(signal))
            .withTimeout(c.timeoutMs),
      ),
    );
  }
}

@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return HealthModule.build([], { provide: HEALTH_OPTIONS, useValue: options });
  }

  static forRootAsync(options: HealthModuleAsyncOptions): DynamicModule {
    return HealthModule.build(options.imports ?? [], {
      provide: HEALTH_OPTIONS,
      useFactory: options.useFactory,
      inject: options.inject ?? [],
    });
  }

  private static build(
    imports: NonNullable<ModuleMetadata['imports']>,
    optionsProvider: Provider,
  ): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot(), ...imports],
      controllers: [HealthController],
      providers: [optionsProvider],
    };
  }
}
