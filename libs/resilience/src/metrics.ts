import { Counter, Gauge, register, type Metric } from 'prom-client';

/**
 * Returns the metric already registered under `name` in prom-client's default
 * registry, or registers the one `create` makes. prom-client throws on a
 * second registration of a name, which happens as soon as two copies of this
 * module share one prom-client (Jest module isolation, duplicated installs).
 */
export function getOrRegisterMetric<M extends Metric>(
  name: string,
  kind: abstract new (...args: never[]) => M,
  create: () => M,
): M {
  const existing = register.getSingleMetric(name);
  if (existing === undefined) return create();
  if (!(existing instanceof kind)) {
    throw new Error(`Metric "${name}" is already registered with another type than ${kind.name}`);
  }
  return existing;
}

function counter(name: string, help: string, labelNames: string[]): Counter {
  return getOrRegisterMetric(name, Counter, () => new Counter({ name, help, labelNames }));
}

function gauge(name: string, help: string, labelNames: string[]): Gauge {
  return getOrRegisterMetric(name, Gauge, () => new Gauge({ name, help, labelNames }));
}

/** Numeric value of `breaker_state`: dashboards alert on `breaker_state == 2`. */
export const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

export interface BreakerMetrics {
  state: Gauge;
  successes: Counter;
  failures: Counter;
  clientErrors: Counter;
  rejections: Counter;
  timeouts: Counter;
  fallbacks: Counter;
}

let breakerMetricSet: BreakerMetrics | undefined;

/** The breaker metrics (label `breaker`), created on first use only. */
export function breakerMetrics(): BreakerMetrics {
  const labels = ['breaker'];
  breakerMetricSet ??= {
    state: gauge('breaker_state', 'Circuit breaker state: 0 closed, 1 half-open, 2 open', labels),
    successes: counter('breaker_successes_total', 'Calls that succeeded through the breaker', labels),
    failures: counter('breaker_failures_total', 'Calls counted as failures (timeouts included)', labels),
    clientErrors: counter(
      'breaker_client_errors_total',
      'Calls that failed with a client error, not counted as failures',
      labels,
    ),
    rejections: counter(
      'breaker_rejections_total',
      'Calls rejected without running because the breaker is open',
      labels,
    ),
    timeouts: counter('breaker_timeouts_total', 'Calls that exceeded the breaker timeout', labels),
    fallbacks: counter('breaker_fallbacks_total', 'Calls answered by the fallback', labels),
  };
  return breakerMetricSet;
}

export interface BulkheadMetrics {
  active: Gauge;
  queued: Gauge;
  rejections: Counter;
}

let bulkheadMetricSet: BulkheadMetrics | undefined;

/** The bulkhead metrics (label `bulkhead`), created on first use only. */
export function bulkheadMetrics(): BulkheadMetrics {
  bulkheadMetricSet ??= {
    active: gauge('bulkhead_active', 'Operations running inside the bulkhead', ['bulkhead']),
    queued: gauge('bulkhead_queued', 'Operations waiting for a bulkhead slot', ['bulkhead']),
    rejections: counter('bulkhead_rejections_total', 'Operations turned away by the bulkhead', [
      'bulkhead',
      'reason',
    ]),
  };
  return bulkheadMetricSet;
}
