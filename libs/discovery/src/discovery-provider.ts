import type { ServiceInstance } from './service-instance';

export type InstancesListener = (service: string, instances: readonly ServiceInstance[]) => void;

/** Where the gateway learns which instances of a service exist. */
export interface DiscoveryProvider {
  /** The instances known right now (sorted by instance id); [] when none. */
  instances(service: string): readonly ServiceInstance[];
  /** Whether this provider is the source of truth for the service (static lists win over the registry). */
  knows(service: string): boolean;
  /** Called whenever a service's list changes; returns the unsubscribe function. */
  onChange(listener: InstancesListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Listener bookkeeping shared by the providers. */
export class ChangeListeners {
  private readonly listeners = new Set<InstancesListener>();

  add(listener: InstancesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(service: string, instances: readonly ServiceInstance[]): void {
    for (const listener of this.listeners) listener(service, instances);
  }
}

/**
 * Providers in order of precedence: for each service the first provider that
 * `knows` it answers (e.g. static lists from the environment, then the Redis
 * registry, then local defaults). Changes of any provider are re-emitted for
 * the services it currently answers.
 */
export class CompositeDiscovery implements DiscoveryProvider {
  private readonly listeners = new ChangeListeners();
  private readonly unsubscribes: (() => void)[] = [];

  constructor(private readonly providers: readonly DiscoveryProvider[]) {}

  instances(service: string): readonly ServiceInstance[] {
    return this.owner(service)?.instances(service) ?? [];
  }

  knows(service: string): boolean {
    return this.owner(service) !== undefined;
  }

  onChange(listener: InstancesListener): () => void {
    return this.listeners.add(listener);
  }

  async start(): Promise<void> {
    for (const provider of this.providers) {
      this.unsubscribes.push(
        provider.onChange((service) => this.listeners.emit(service, this.instances(service))),
      );
    }
    await Promise.all(this.providers.map((p) => p.start()));
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await Promise.all(this.providers.map((p) => p.stop()));
  }

  private owner(service: string): DiscoveryProvider | undefined {
    return this.providers.find((p) => p.knows(service));
  }
}
