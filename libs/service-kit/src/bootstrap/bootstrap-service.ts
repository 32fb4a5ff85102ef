import 'reflect-metadata';
import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SERVICE_NAMES, type ServiceName } from '@shop/config';
import { migrateOnStart, type MigrationTarget } from '@shop/persistence';
import { createLogger, NestPinoLogger, type Logger, type TelemetryHandle } from '@shop/telemetry';
import { SERVICE_KIT_OPTIONS, type ServiceKitOptions } from '../service-kit.module';
import { GracefulFastifyAdapter } from './graceful-fastify-adapter';

export interface BootstrapServiceOptions {
  /** The service's name: logs, and the migrations of `migrate: true`. */
  name: string;
  /** The root module; it must import ServiceKitModule.forRoot({ serviceName: name, ... }). */
  module: Type<unknown> | DynamicModule;
  /** 0 picks a free port (tests). */
  port: number;
  /** 0.0.0.0 by default (containers). */
  host?: string;
  /** Larger request bodies get 413; 1 MiB by default. */
  bodyLimitBytes?: number;
  /**
   * Apply pending migrations before the app starts: `true` for the service's
   * own (`services/<name>/prisma/migrations`, database from @shop/config), or
   * an explicit `{ databaseUrl, migrationsDir }`.
   */
  migrate?: true | MigrationTarget;
  /** The handle of the service's telemetry.ts: flushed once the app has closed. */
  telemetry?: Pick<TelemetryHandle, 'shutdown'>;
  /** Nest's and the kit's logs; a JSON logger named after the service by default. */
  logger?: Logger;
  /** On shutdown, how long in-flight requests may take before their connections are cut; 10 s by default. */
  drainTimeoutMs?: number;
}

export interface RunningService {
  readonly app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:3003 */
  readonly url: string;
  readonly logger: Logger;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];

/**
 * Starts a service: migrations (optional), the Nest app on Fastify with JSON
 * logs, shutdown on SIGTERM/SIGINT (stop accepting, finish in-flight
 * requests, then Nest's hooks, then flush telemetry), listening.
 * main.ts must import the service's telemetry.ts before anything else.
 */
export async function bootstrapService(options: BootstrapServiceOptions): Promise<RunningService> {
  const logger = options.logger ?? createLogger({ serviceName: options.name });
  let app: NestFastifyApplication | undefined;
  try {
    if (options.migrate) await migrate(options.name, options.migrate, logger);
    const adapter = new GracefulFastifyAdapter({
      bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      drainTimeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    });
    app = await NestFactory.create<NestFastifyApplication>(rootModule(options, logger), adapter, {
      logger: new NestPinoLogger(logger),
      abortOnError: false, // startup errors reach the caller (and this log), not process.exit(1)
    });
    assertServiceKit(app, options.name);
    // process.exit(0) after the shutdown, not a re-raised signal: pino's buffered lines are flushed on 'exit'.
    app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
    await app.listen(options.port, options.host ?? '0.0.0.0');
    const url = await app.getUrl();
    logger.info({ url }, `${options.name} listening`);
    return { app, url, logger };
  } catch (err) {
    logger.fatal({ err }, `${options.name} failed to start`);
    await app?.close().catch(() => undefined);
    throw err;
  }
}

async function migrate(name: string, target: true | MigrationTarget, logger: Logger): Promise<void> {
  if (target === true && !isServiceName(name)) {
    throw new Error(
      `migrate: true needs a service of @shop/config (${SERVICE_NAMES.join(', ')}), not '${name}'; pass { databaseUrl, migrationsDir }`,
    );
  }
  await migrateOnStart(target === true ? (name as ServiceName) : target, {
    log: (line) => logger.info(line),
  });
}

function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** The service's module, plus the last steps of a shutdown: flush telemetry, say so. */
function rootModule(options: BootstrapServiceOptions, logger: Logger): DynamicModule {
  const lastSteps: Provider = {
    provide: 'SERVICE_SHUTDOWN_LAST_STEPS',
    useValue: {
      async onApplicationShutdown(signal?: string): Promise<void> {
        await options.telemetry?.shutdown();
        logger.info({ signal }, `${options.name} stopped`);
      },
    },
  };
  return { module: ServiceRootModule, imports: [options.module], providers: [lastSteps] };
}

@Module({})
class ServiceRootModule {}

function assertServiceKit(app: NestFastifyApplication, name: string): void {
  let kit: ServiceKitOptions;
  try {
    kit = app.get<ServiceKitOptions>(SERVICE_KIT_OPTIONS, { strict: false });
  } catch {
    throw new Error(`The module of service '${name}' must import ServiceKitModule.forRoot(...)`);
  }
  if (kit.serviceName !== name) {
    throw new Error(`ServiceKitModule is configured for '${kit.serviceName}', but the service is '${name}'`);
  }
}
