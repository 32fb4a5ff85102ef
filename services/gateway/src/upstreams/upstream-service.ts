import type { ServiceInstance } from '@shop/discovery';
import { Bulkhead, RetryBudget, type BulkheadOptions, type RetryBudgetOptions } from '@shop/resilience';
import { createBalancer, type Balancer, type BalancerKind } from '../domain/balancers';
import { mayEject } from '../domain/outlier-ejection';
import { gatewayMetrics } from '../metrics/gateway-metrics';
import { instanceKey, UpstreamInstance, type UpstreamSettings } from './upstream-instance';

/**
 * Everything the gateway keeps per upstream service: its instances (kept in
 * step with discovery), one bulkhead and one retry budget shared by every
 * route to it, and one balancer per route (each algorithm keeps its own
 * position; outstanding counts are per instance, so shared).
 */
export class UpstreamService {
  readonly bulkhead: Bulkhead;
  readonly budget: RetryBudget;
  private readonly instances = new Map<string, UpstreamInstance>();
  private readonly balancers = new Map<string, Balancer>();

  constructor(
    readonly name: string,
    private readonly settings: UpstreamSettings,
    bulkhead: BulkheadOptions,
    budget: RetryBudgetOptions,
    private readonly log: (fields: object, message: string) => void,
  ) {
    this.bulkhead = new Bulkhead(name, bulkhead);
    this.budget = new RetryBudget(budget);
  }

  all(): UpstreamInstance[] {
    return [...this.instances.values()];
  }

  /** Applies discovery's current list: new instances join, departed ones are closed, weights/health updated. */
  sync(list: readonly ServiceInstance[]): void {
    const wanted = new Map(list.map((instance) => [instanceKey(instance), instance]));
    for (const [key, upstream] of this.instances) {
      if (wanted.has(key)) continue;
      this.instances.delete(key);
      this.log(
        { upstream: this.name, instance: upstream.id, address: upstream.instance.address },
        'upstream instance removed',
      );
      void upstream.close();
    }
    for (const [key, instance] of wanted) {
      const existing = this.instances.get(key);
      if (existing) {
        existing.instance = instance; // weight or health changed
        continue;
      }
      this.instances.set(key, new UpstreamInstance(instance, this.settings));
      this.log(
        { upstream: this.name, instance: instance.instanceId, address: instance.address },
        'upstream instance added',
      );
    }
  }

  /** The next instance for `routeId` among the available ones this request has not tried. */
  pick(
    routeId: string,
    kind: BalancerKind,
    tried: ReadonlySet<string>,
    now: number,
  ): UpstreamInstance | undefined {
    const candidates = this.eligible(tried, now);
    return this.balancerFor(routeId, kind).pick(candidates);
  }

  eligible(tried: ReadonlySet<string>, now: number): UpstreamInstance[] {
    return this.all().filter((i) => !tried.has(i.key) && i.isAvailable(now));
  }

  /** Passive outlier detection after one attempt; returns true when it ejected the instance. */
  recordOutcome(instance: UpstreamInstance, ok: boolean, now: number): boolean {
    if (ok) {
      instance.outlier.recordSuccess(now);
      return false;
    }
    const ejectedNow = this.all().filter((i) => i.outlier.isEjected(now)).length;
    const verdict = instance.outlier.recordFailure(
      now,
      mayEject(ejectedNow, this.instances.size, this.settings.outlier.maxEjectionPercent),
    );
    if (!verdict.ejected) return false;
    gatewayMetrics.ejections.inc({ upstream: this.name, instance: instance.id });
    this.log(
      {
        upstream: this.name,
        instance: instance.id,
        ejectionMs: verdict.durationMs,
        ejections: verdict.ejections,
      },
      'upstream instance ejected after consecutive failures',
    );
    return true;
  }

  /** Instance counts by state, for metrics and readiness details. */
  states(now: number): Record<string, number> {
    const out: Record<string, number> = {
      available: 0,
      ejected: 0,
      unhealthy: 0,
      'breaker-open': 0,
      'not-up': 0,
    };
    for (const instance of this.all()) out[instance.state(now)] = (out[instance.state(now)] ?? 0) + 1;
    return out;
  }

  async close(): Promise<void> {
    const all = this.all();
    this.instances.clear();
    await Promise.all(all.map((i) => i.close()));
  }

  private balancerFor(routeId: string, kind: BalancerKind): Balancer {
    let balancer = this.balancers.get(routeId);
    if (!balancer || balancer.kind !== kind) {
      balancer = createBalancer(kind);
      this.balancers.set(routeId, balancer);
    }
    return balancer;
  }
}
