import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ServiceKitModule } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config';
import { GatewayRuntime } from './gateway-runtime';
import { OpenApiController } from './openapi/openapi.controller';
import { registerProxy } from './proxy/proxy.plugin';

export const SERVICE_NAME = 'gateway';

/** Starts discovery and the upstreams, then mounts the proxy on the kit's Fastify instance; stops them after the HTTP drain. */
@Injectable()
class ProxyInstaller implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(GatewayRuntime) private readonly runtime: GatewayRuntime,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.runtime.start();
    registerProxy(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.runtime);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}

/**
 * The gateway on the service kit (Nest on Fastify): the kit gives it
 * /health/live, /health/ready, /metrics, request ids, the error filter and
 * the graceful shutdown; Nest serves /api/openapi.json; the proxy itself is
 * a plain Fastify route (see proxy/proxy.plugin.ts for why).
 */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const runtime = new GatewayRuntime(
      config,
      createLogger({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL }),
    );
    return {
      module: GatewayModule,
      imports: [
        ServiceKitModule.forRoot({
          serviceName: SERVICE_NAME,
          identitySecret: config.IDENTITY_HMAC_SECRET,
          readiness: { checks: [runtime.readinessCheck()] },
        }),
      ],
      controllers: [OpenApiController],
      providers: [{ provide: GatewayRuntime, useValue: runtime }, ProxyInstaller],
    };
  }
}
