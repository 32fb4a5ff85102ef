import type Redis from 'ioredis';
import { ChangeListeners, type DiscoveryProvider, type InstancesListener } from './discovery-provider';
import { registryKeys } from './registry-keys';
import {
  byInstanceId,
  instancesSignature,
  parseRegistryRecord,
  type RegistryRecord,
  type ServiceInstance,
} from './service-instance';

export interface RegistryWatcherOptions {
  /** The services to watch. */
  services: readonly string[];
  /** How often every service is re-read (this is what notices expired instances). Default 1 s. */
  pollIntervalMs?: number;
  /**
   * Subscribe to the change channel so registrations and deregistrations are
   * seen at once (uses a duplicate connection). Default true.
   */
  subscribe?: boolean;
  /** Read failures (Redis down): the last known lists are kept. Default: one console.warn per distinct error. */
  onError?: (error: Error) => void;
}

/**
 * Watches the Redis registry: polls each service's index (SMEMBERS + MGET of
 * the records; members whose record expired are removed) and refreshes a
 * service at once when a change is published. Emits `onChange` only when
 * what routing depends on changed (ids, addresses, weights, health).
 *
 * When Redis cannot be read, the last known lists stay: losing the registry
 * must not take every route down (instances that really died are caught by
 * the gateway's health checks and outlier ejection).
 */
export class RedisRegistryWatcher implements DiscoveryProvider {
  private readonly listeners = new ChangeListeners();
  private readonly lists = new Map<string, readonly ServiceInstance[]>();
  private readonly signatures = new Map<string, string>();
  private readonly pollIntervalMs: number;
  private readonly onError: (error: Error) => void;
  private timer: NodeJS.Timeout | undefined;
  private subscriber: Redis | undefined;
  private running = false;
  private readonly chains = new Map<string, Promise<void>>();
  private polling: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: RegistryWatcherOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.onError = options.onError ?? warnOncePerError();
    for (const service of options.services) this.signatures.set(service, instancesSignature([]));
  }

  instances(service: string): readonly ServiceInstance[] {
    return this.lists.get(service) ?? [];
  }

  /** Answers a service only while it has registered instances, so a fallback provider can take over. */
  knows(service: string): boolean {
    return this.instances(service).length > 0;
  }

  onChange(listener: InstancesListener): () => void {
    return this.listeners.add(listener);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.options.subscribe !== false) await this.subscribe();
    await this.pollAll();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) {
      await subscriber.quit().catch(() => subscriber.disconnect());
    }
  }

  /** Reads every watched service now (the poll does this on its own). */
  async refresh(): Promise<void> {
    await this.pollAll();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollAll().finally(() => {
        this.polling = undefined;
        this.schedule();
      });
    }, this.pollIntervalMs).unref();
  }

  private async pollAll(): Promise<void> {
    await Promise.all(this.options.services.map((service) => this.pollService(service)));
  }

  /** One read per service at a time, in order: a slow older read never overwrites a newer one. */
  private pollService(service: string): Promise<void> {
    const next = (this.chains.get(service) ?? Promise.resolve()).then(() => this.readService(service));
    this.chains.set(service, next);
    return next;
  }

  private async readService(service: string): Promise<void> {
    let records: RegistryRecord[];
    try {
      records = await this.read(service);
    } catch (err) {
      this.onError(err as Error);
      return;
    }
    const instances = records
      .map(({ registeredAt: _r, heartbeatAt: _h, ...instance }) => instance)
      .filter((i) => i.service === service)
      .sort(byInstanceId);
    const signature = instancesSignature(instances);
    if (this.signatures.get(service) === signature) return;
    this.signatures.set(service, signature);
    this.lists.set(service, instances);
    this.listeners.emit(service, instances);
  }

  private async read(service: string): Promise<RegistryRecord[]> {
    const index = registryKeys.index(service);
    const ids = await this.redis.smembers(index);
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(...ids.map((id) => registryKeys.instance(service, id)));
    const records: RegistryRecord[] = [];
    const expired: string[] = [];
    ids.forEach((id, i) => {
      const record = parseRegistryRecord(raw[i] ?? null);
      if (record) records.push(record);
      else expired.push(id);
    });
    // An instance re-registering between MGET and SREM is re-added by its next heartbeat.
    if (expired.length) await this.redis.srem(index, ...expired);
    return records;
  }

  private async subscribe(): Promise<void> {
    const subscriber = this.redis.duplicate();
    subscriber.on('error', (err: Error) => this.onError(err));
    const channel = registryKeys.changesChannel(this.redis.options.keyPrefix ?? '');
    subscriber.on('message', (received: string, service: string) => {
      if (received !== channel || !this.running || !this.options.services.includes(service)) return;
      void this.pollService(service);
    });
    try {
      await subscriber.subscribe(channel);
      this.subscriber = subscriber;
    } catch (err) {
      this.onError(err as Error); // polling alone still works
      subscriber.disconnect();
    }
  }
}

function warnOncePerError(): (error: Error) => void {
  let last: string | undefined;
  return (error) => {
    if (error.message === last) return;
    last = error.message;
    console.warn(`[discovery] registry read failed: ${error.message}`);
  };
}
