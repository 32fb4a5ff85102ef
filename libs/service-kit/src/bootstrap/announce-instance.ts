import { hostname } from 'node:os';
import { registerInstance, type InstanceRegistration } from '@shop/discovery';
import { closeRedis, createRedis } from '@shop/redis';
import type { RunningService } from './bootstrap-service';

/** The registration variables of every service but the gateway (see discoveryRegistrationEnv). */
export interface AnnounceConfig {
  PORT: number;
  HOST?: string;
  REDIS_URL: string;
  DISCOVERY_REGISTER: boolean;
  DISCOVERY_KEY_PREFIX: string;
  SERVICE_INSTANCE_ID?: string;
  SERVICE_ADVERTISED_URL?: string;
}

const LEAVE_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Registers the running service in the Redis registry the gateway watches
 * (@shop/discovery): heartbeat with its readiness as health, and
 * deregistration as soon as a shutdown signal arrives, so the gateway stops
 * sending new requests while the drain finishes the ones in flight. A crash
 * leaves the record to expire with its TTL.
 */
export async function announceInstance(
  service: RunningService,
  name: string,
  config: AnnounceConfig,
): Promise<InstanceRegistration> {
  const registry = createRedis(config.REDIS_URL, { keyPrefix: config.DISCOVERY_KEY_PREFIX });
  const port = Number(new URL(service.url).port);
  const registration = await registerInstance(
    registry,
    {
      service: name,
      instanceId: config.SERVICE_INSTANCE_ID ?? `${hostname()}-${process.pid}`,
      address: config.SERVICE_ADVERTISED_URL ?? advertisedUrl(config.HOST, port),
    },
    {
      healthProbe: async () => ((await isReady(service.url)) ? 'up' : 'down'),
      onError: (err) =>
        service.logger.warn({ err }, 'service registry unreachable; the heartbeat keeps trying'),
    },
  );
  service.logger.info({ address: registration.instance.address }, `${name} registered for discovery`);
  const leave = (): void => {
    for (const signal of LEAVE_SIGNALS) process.removeListener(signal, leave);
    void registration
      .deregister()
      .catch((err: unknown) =>
        service.logger.warn({ err }, 'deregistration failed; the record expires with its TTL'),
      )
      .finally(() => closeRedis(registry));
  };
  for (const signal of LEAVE_SIGNALS) process.once(signal, leave);
  return registration;
}

/** Where others reach this process: the bound host, or this machine's name when bound to every interface. */
export function advertisedUrl(host: string | undefined, port: number): string {
  const everyInterface = !host || host === '0.0.0.0' || host === '::';
  return `http://${everyInterface ? hostname() : host}:${port}`;
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
