import type { DynamicModule, Type } from '@nestjs/common';
import type { z } from 'zod';
import { loadServiceConfig } from '../config/load-service-config';
import { announceInstance, type AnnounceConfig } from './announce-instance';
import { bootstrapService, type BootstrapServiceOptions } from './bootstrap-service';

type ListenConfig = { PORT: number; HOST?: string } & Partial<AnnounceConfig>;

export type RunServiceOptions<S extends z.ZodType<ListenConfig>> = Omit<
  BootstrapServiceOptions,
  'module' | 'port' | 'host'
> & {
  /** The service's env schema (src/config.ts). */
  env: S;
  /** The root module, built from the loaded config. */
  module: (config: z.output<S>) => Type<unknown> | DynamicModule;
};

/**
 * The whole of a service's main.ts after its telemetry import: loads the
 * config (one error naming every bad variable), starts the service on
 * PORT/HOST, registers it for discovery (DISCOVERY_REGISTER), and exits 1
 * when the start fails.
 */
export function runService<S extends z.ZodType<ListenConfig>>(options: RunServiceOptions<S>): void {
  const { env, module, ...bootstrap } = options;
  const start = async (): Promise<void> => {
    const config = loadServiceConfig(env);
    const service = await bootstrapService({
      ...bootstrap,
      module: module(config),
      port: config.PORT,
      host: config.HOST,
    });
    if (config.DISCOVERY_REGISTER) await announceInstance(service, bootstrap.name, config as AnnounceConfig);
  };
  start().catch((err: unknown) => {
    // bootstrapService logged its own failures in full; this also shows configuration errors.
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
