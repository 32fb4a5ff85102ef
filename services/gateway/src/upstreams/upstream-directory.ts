import type { DiscoveryProvider } from '@shop/discovery';
import type { BulkheadOptions, RetryBudgetOptions } from '@shop/resilience';
import { gatewayMetrics, setInstanceStatesSource } from '../metrics/gateway-metrics';
import type { UpstreamSettings } from './upstream-instance';
import { UpstreamService } from './upstream-service';

export interface UpstreamDirectoryOptions {
  services: readonly string[];
  discovery: DiscoveryProvider;
  settings: UpstreamSettings;
  bulkhead: BulkheadOptions;
  retryBudget: RetryBudgetOptions;
  health: { intervalMs: number; timeoutMs: number; path: string };
  log: (fields: object, message: string) => void;
}

/**
 * The gateway's view of every upstream service, driven by discovery: when a
 * provider reports a new list, the service's instances follow (pools and
 * breakers created or closed). Runs the active health checks.
 */
export class UpstreamDirectory {
  private readonly services = new Map<string, UpstreamService>();
  private unsubscribe: (() => void) | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: UpstreamDirectoryOptions) {
    for (const name of options.services) {
      this.services.set(
        name,
        new UpstreamService(name, options.settings, options.bulkhead, options.retryBudget, options.log),
      );
    }
    gatewayMetrics.instances.reset();
  }

  service(name: string): UpstreamService | undefined {
    return this.services.get(name);
  }

  all(): UpstreamService[] {
    return [...this.services.values()];
  }

  async start(): Promise<void> {
    const { discovery } = this.options;
    this.unsubscribe = discovery.onChange((service) =>
      this.services.get(service)?.sync(discovery.instances(service)),
    );
    await discovery.start();
    for (const [name, service] of this.services) service.sync(discovery.instances(name));
    setInstanceStatesSource(() => this.publishStates());
    this.scheduleHealthChecks();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    setInstanceStatesSource(undefined);
    clearTimeout(this.healthTimer);
    this.unsubscribe?.();
    await this.probing;
    await this.options.discovery.stop();
    await Promise.all(this.all().map((s) => s.close()));
  }

  /** Refreshes the per-state instance gauge (at each scrape and after each health round). */
  publishStates(now = Date.now()): void {
    for (const service of this.all()) {
      for (const [state, count] of Object.entries(service.states(now))) {
        gatewayMetrics.instances.set({ upstream: service.name, state }, count);
      }
    }
  }

  private scheduleHealthChecks(): void {
    const { intervalMs } = this.options.health;
    if (intervalMs <= 0 || this.stopped) return;
    this.healthTimer = setTimeout(() => {
      this.probing = this.probeAll().finally(() => {
        this.probing = undefined;
        this.scheduleHealthChecks();
      });
    }, intervalMs).unref();
  }

  /** GET <HEALTH_CHECK_PATH> on every instance, through its own pool, bounded by the probe timeout. */
  async probeAll(): Promise<void> {
    const { path, timeoutMs } = this.options.health;
    const probes = this.all().flatMap((service) =>
      service.all().map(async (instance) => {
        let passed = false;
        try {
          const response = await instance.pool.request({
            method: 'GET',
            path,
            signal: AbortSignal.timeout(timeoutMs),
          });
          await response.body.dump();
          passed = response.statusCode === 200;
        } catch {
          passed = false;
        }
        if (!passed)
          gatewayMetrics.healthCheckFailures.inc({ upstream: service.name, instance: instance.id });
        if (instance.activeHealth.record(passed)) {
          this.options.log(
            { upstream: service.name, instance: instance.id, healthy: passed },
            passed
              ? 'upstream instance passes its health checks again'
              : 'upstream instance failed its health checks',
          );
        }
      }),
    );
    await Promise.all(probes);
    this.publishStates();
  }
}
