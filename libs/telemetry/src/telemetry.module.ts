import {
  Controller,
  Get,
  Header,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { register } from 'prom-client';
import { installHttpServerHooks, type FastifyLike } from './http-server-hooks';
import { ensureDefaultMetrics, METRICS_CONTENT_TYPE, metricsText } from './metrics';

export interface TelemetryModuleOptions {
  /** Added as the `service` label to every metric of the default registry. */
  serviceName: string;
}

const TELEMETRY_OPTIONS = Symbol('TELEMETRY_OPTIONS');

/** GET /metrics: the default prom-client registry in the Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', METRICS_CONTENT_TYPE)
  metrics(): Promise<string> {
    return metricsText();
  }
}

@Injectable()
class HttpMetricsInstaller implements OnModuleInit {
  private readonly logger = new Logger('TelemetryModule');

  // Explicit tokens: DI must not depend on emitted type metadata.
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(TELEMETRY_OPTIONS) private readonly options: TelemetryModuleOptions,
  ) {}

  onModuleInit(): void {
    register.setDefaultLabels({ service: this.options.serviceName });
    ensureDefaultMetrics();
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') {
      this.logger.warn(`HTTP metrics need the Fastify adapter, got '${adapter?.getType()}'`);
      return;
    }
    installHttpServerHooks(adapter.getInstance<FastifyLike>());
  }
}

/**
 * Metrics for a Nest service on the Fastify adapter: default process metrics,
 * the HTTP RED histogram for every request, and GET /metrics.
 *
 *   @Module({ imports: [TelemetryModule.forRoot({ serviceName: 'order' })] })
 */
@Module({})
export class TelemetryModule {
  static forRoot(options: TelemetryModuleOptions): DynamicModule {
    return {
      module: TelemetryModule,
      controllers: [MetricsController],
      providers: [{ provide: TELEMETRY_OPTIONS, useValue: options }, HttpMetricsInstaller],
    };
  }
}
