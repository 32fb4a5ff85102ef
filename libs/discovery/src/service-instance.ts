/**
 * One running copy of a service as the registry and the gateway see it.
 * `address` is the instance's base URL (`http://10.0.0.7:3003`), `weight`
 * its share for weighted balancing, `health` what the instance reports of
 * itself (the gateway adds its own active checks and outlier ejection).
 */
export interface ServiceInstance {
  readonly service: string;
  readonly instanceId: string;
  readonly address: string;
  readonly weight: number;
  readonly health: InstanceHealth;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** `draining`: shutting down, finish what you sent but send nothing new. */
export const INSTANCE_HEALTH = ['up', 'down', 'draining'] as const;
export type InstanceHealth = (typeof INSTANCE_HEALTH)[number];

export const DEFAULT_WEIGHT = 1;
export const MAX_WEIGHT = 1000;

const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const INSTANCE_ID = /^[\w.:@-]{1,128}$/;

/** A validated instance, or an Error naming what is wrong (registration input, static lists). */
export function toServiceInstance(input: {
  service: string;
  instanceId?: string;
  address: string;
  weight?: number;
  health?: InstanceHealth;
  metadata?: Record<string, string>;
}): ServiceInstance {
  if (!SERVICE_NAME.test(input.service)) throw new Error(`Invalid service name '${input.service}'`);
  const address = normalizeAddress(input.address);
  const instanceId = input.instanceId ?? new URL(address).host;
  if (!INSTANCE_ID.test(instanceId)) throw new Error(`Invalid instance id '${instanceId}'`);
  const weight = input.weight ?? DEFAULT_WEIGHT;
  if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
    throw new Error(
      `Weight of ${input.service}/${instanceId} must be an integer 1-${MAX_WEIGHT}, got ${weight}`,
    );
  }
  const health = input.health ?? 'up';
  if (!INSTANCE_HEALTH.includes(health)) throw new Error(`Invalid health '${String(health)}'`);
  return {
    service: input.service,
    instanceId,
    address,
    weight,
    health,
    ...(input.metadata && { metadata: { ...input.metadata } }),
  };
}

/** `http://host:port` without path or trailing slash; only http and https. */
export function normalizeAddress(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`Invalid instance address '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Instance address '${raw}' must be http or https`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(`Instance address '${raw}' must be scheme://host:port only`);
  }
  return url.origin;
}

/** The record stored in Redis: the instance plus when it was registered and last heard of. */
export interface RegistryRecord extends ServiceInstance {
  readonly registeredAt: string;
  readonly heartbeatAt: string;
}

export function parseRegistryRecord(raw: string | null): RegistryRecord | undefined {
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<RegistryRecord>;
    const instance = toServiceInstance(parsed as ServiceInstance);
    return {
      ...instance,
      registeredAt: String(parsed.registeredAt ?? ''),
      heartbeatAt: String(parsed.heartbeatAt ?? ''),
    };
  } catch {
    return undefined; // a corrupt record is treated like an expired one
  }
}

/** What routing depends on: two lists with the same signature route alike (heartbeat times are ignored). */
export function instancesSignature(instances: readonly ServiceInstance[]): string {
  return instances
    .map((i) => `${i.instanceId}|${i.address}|${i.weight}|${i.health}`)
    .sort()
    .join('\n');
}

export function byInstanceId(a: ServiceInstance, b: ServiceInstance): number {
  return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
}
