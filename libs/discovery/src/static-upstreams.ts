import { ChangeListeners, type DiscoveryProvider, type InstancesListener } from './discovery-provider';
import { byInstanceId, toServiceInstance, type ServiceInstance } from './service-instance';

type Env = Record<string, string | undefined>;

/**
 * Fixed instance lists for compose and Kubernetes (where DNS or a Service
 * already balances, or the replicas are known):
 *
 *   GATEWAY_UPSTREAMS=order=http://order-1:3003|http://order-2:3003,catalog=http://catalog:3002
 *   ORDER_URLS=http://order-1:3003|http://order-2:3003;weight=3
 *
 * Entries are separated by `|`; `;weight=N` after an address sets its weight.
 * `<SERVICE>_URLS` wins over the same service in GATEWAY_UPSTREAMS. Only the
 * services named in `services` are read from `<SERVICE>_URLS`. Throws an
 * Error listing every malformed entry.
 */
export function parseStaticUpstreams(env: Env, services: readonly string[]): Map<string, ServiceInstance[]> {
  const result = new Map<string, ServiceInstance[]>();
  const problems: string[] = [];
  const add = (service: string, list: string, variable: string) => {
    try {
      result.set(service, parseInstanceList(service, list));
    } catch (err) {
      problems.push(`${variable}: ${(err as Error).message}`);
    }
  };

  const combined = env.GATEWAY_UPSTREAMS?.trim();
  if (combined) {
    for (const entry of combined
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const eq = entry.indexOf('=');
      if (eq <= 0) {
        problems.push(`GATEWAY_UPSTREAMS: '${entry}' is not service=url|url`);
        continue;
      }
      add(entry.slice(0, eq).trim(), entry.slice(eq + 1), 'GATEWAY_UPSTREAMS');
    }
  }
  for (const service of services) {
    const variable = `${service.toUpperCase().replaceAll('-', '_')}_URLS`;
    const list = env[variable]?.trim();
    if (list) add(service, list, variable);
  }
  if (problems.length) throw new Error(`Invalid static upstreams:\n  ${problems.join('\n  ')}`);
  return result;
}

function parseInstanceList(service: string, list: string): ServiceInstance[] {
  const entries = list
    .split('|')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error(`no address for ${service}`);
  const instances = entries.map((entry) => {
    const [address = '', ...options] = entry.split(';').map((part) => part.trim());
    let weight: number | undefined;
    for (const option of options) {
      const match = /^weight=(\d+)$/.exec(option);
      if (!match) throw new Error(`unknown option '${option}' (expected weight=N)`);
      weight = Number(match[1]);
    }
    return toServiceInstance({ service, address, ...(weight !== undefined && { weight }) });
  });
  const ids = new Set(instances.map((i) => i.instanceId));
  if (ids.size !== instances.length) throw new Error(`${service} lists an address twice`);
  return instances.sort(byInstanceId);
}

/** A provider over fixed lists (from parseStaticUpstreams, or local defaults). It never changes. */
export class StaticDiscovery implements DiscoveryProvider {
  private readonly listeners = new ChangeListeners();

  constructor(private readonly lists: ReadonlyMap<string, readonly ServiceInstance[]>) {}

  static fromEnv(env: Env, services: readonly string[]): StaticDiscovery {
    return new StaticDiscovery(parseStaticUpstreams(env, services));
  }

  instances(service: string): readonly ServiceInstance[] {
    return this.lists.get(service) ?? [];
  }

  knows(service: string): boolean {
    return this.lists.has(service);
  }

  onChange(listener: InstancesListener): () => void {
    return this.listeners.add(listener);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
