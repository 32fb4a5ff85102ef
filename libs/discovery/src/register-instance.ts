import type Redis from 'ioredis';
import { registryKeys } from './registry-keys';
import {
  toServiceInstance,
  type InstanceHealth,
  type RegistryRecord,
  type ServiceInstance,
} from './service-instance';

export interface InstanceRegistrationInput {
  service: string;
  /** Unique per running process, e.g. `${hostname}-${pid}` or the pod name. */
  instanceId: string;
  /** Base URL others reach the instance at: `http://10.0.0.7:3003`. */
  address: string;
  /** Share of weighted balancing, 1-1000 (default 1). */
  weight?: number;
  metadata?: Record<string, string>;
}

export interface RegistrationOptions {
  /** How long the record lives without a heartbeat: a crashed instance disappears after this. Default 10 s. */
  ttlMs?: number;
  /** Heartbeat period; default ttl/3, so two heartbeats may be lost before expiry. */
  heartbeatMs?: number;
  /** Health at registration; default `up`. */
  initialHealth?: InstanceHealth;
  /** Asked at each heartbeat (e.g. the readiness checks); a throw or rejection counts as `down`. */
  healthProbe?: () => InstanceHealth | Promise<InstanceHealth>;
  /** Heartbeat failures (Redis unreachable); the heartbeat keeps trying. Default: one console.warn per distinct error. */
  onError?: (error: Error) => void;
}

export interface InstanceRegistration {
  /** The instance as last written. */
  readonly instance: ServiceInstance;
  /** Writes the new health at once (and keeps it for the next heartbeats). */
  reportHealth(health: InstanceHealth): Promise<void>;
  /** Changes the weight at once. */
  setWeight(weight: number): Promise<void>;
  /** Stops the heartbeat and removes the record; watchers are told at once. Safe twice. */
  deregister(): Promise<void>;
}

export const DEFAULT_REGISTRATION_TTL_MS = 10_000;

/**
 * Registers one instance in the Redis registry and keeps it there with a
 * heartbeat until `deregister()`. Each heartbeat rewrites the whole record
 * with a fresh TTL, so an instance whose record was lost (Redis restarted)
 * reappears at the next heartbeat. If the process dies, the record expires
 * after `ttlMs` and watchers drop the instance.
 *
 * Resolves after the first write was attempted; when Redis is unreachable at
 * start it resolves anyway (reported through `onError`) and keeps trying, so
 * a service does not fail to start because the registry is down.
 */
export async function registerInstance(
  redis: Redis,
  input: InstanceRegistrationInput,
  options: RegistrationOptions = {},
): Promise<InstanceRegistration> {
  const ttlMs = options.ttlMs ?? DEFAULT_REGISTRATION_TTL_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(ttlMs / 3));
  if (!(ttlMs > 0) || !(heartbeatMs > 0) || heartbeatMs >= ttlMs) {
    throw new RangeError(`heartbeatMs (${heartbeatMs}) must be positive and below ttlMs (${ttlMs})`);
  }
  let instance = toServiceInstance({ ...input, health: options.initialHealth ?? 'up' });
  const registeredAt = new Date().toISOString();
  const keyPrefix = redis.options.keyPrefix ?? '';
  const key = registryKeys.instance(instance.service, instance.instanceId);
  const index = registryKeys.index(instance.service);
  const onError = options.onError ?? warnOncePerError();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const write = async (announce: boolean) => {
    const record: RegistryRecord = { ...instance, registeredAt, heartbeatAt: new Date().toISOString() };
    const tx = redis.multi().set(key, JSON.stringify(record), 'PX', ttlMs).sadd(index, instance.instanceId);
    if (announce) tx.publish(registryKeys.changesChannel(keyPrefix), instance.service);
    throwFirstError(await tx.exec());
  };

  const probe = async () => {
    if (!options.healthProbe || stopped) return;
    let health: InstanceHealth;
    try {
      health = await options.healthProbe();
    } catch {
      health = 'down';
    }
    if (instance.health === 'draining' || health === instance.health) return false;
    instance = { ...instance, health };
    return true;
  };

  const beat = async () => {
    try {
      const changed = await probe();
      if (!stopped) await write(changed === true);
    } catch (err) {
      onError(err as Error);
    }
    if (!stopped) timer = setTimeout(() => void beat(), heartbeatMs).unref();
  };

  try {
    await write(true);
  } catch (err) {
    onError(err as Error);
  }
  timer = setTimeout(() => void beat(), heartbeatMs).unref();

  const update = async (next: ServiceInstance) => {
    instance = next;
    if (!stopped) await write(true);
  };

  return {
    get instance() {
      return instance;
    },
    reportHealth: (health) => update(toServiceInstance({ ...instance, health })),
    setWeight: (weight) => update(toServiceInstance({ ...instance, weight })),
    async deregister() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await redis
        .multi()
        .del(key)
        .srem(index, instance.instanceId)
        .publish(registryKeys.changesChannel(keyPrefix), instance.service)
        .exec()
        .then(throwFirstError);
    },
  };
}

/** MULTI answers per command; a failed command does not reject exec(). */
function throwFirstError(results: [Error | null, unknown][] | null): void {
  const failed = results?.find(([error]) => error !== null);
  if (failed) throw failed[0];
}

function warnOncePerError(): (error: Error) => void {
  let last: string | undefined;
  return (error) => {
    if (error.message === last) return;
    last = error.message;
    console.warn(`[discovery] heartbeat failed: ${error.message}`);
  };
}
