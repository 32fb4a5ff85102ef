import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  register,
  type GaugeConfiguration,
  type Metric,
} from 'prom-client';

/**
 * Get-or-create helpers on prom-client's default registry (the one GET
 * /metrics serves). Libraries call them at module load or construction
 * without "metric already registered" errors: the first registration of a
 * name wins (its help, labels and collect function), later calls get it back.
 * A name registered as another metric type is a programming error and throws.
 */
export function counter<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  return getOrCreate(name, Counter, () => new Counter<L>({ name, help, labelNames }));
}

/** `collect` runs on every scrape: the place to read a backlog or lag into the gauge. */
export function gauge<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  collect?: GaugeConfiguration<L>['collect'],
): Gauge<L> {
  return getOrCreate(
    name,
    Gauge,
    () => new Gauge<L>({ name, help, labelNames, ...(collect && { collect }) }),
  );
}

export function histogram<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  buckets?: number[],
): Histogram<L> {
  return getOrCreate(
    name,
    Histogram,
    () => new Histogram<L>({ name, help, labelNames, ...(buckets && { buckets }) }),
  );
}

function getOrCreate<M>(name: string, type: abstract new (...args: never[]) => M, create: () => M): M {
  const existing: Metric | undefined = register.getSingleMetric(name);
  if (existing === undefined) return create();
  if (existing instanceof type) return existing;
  throw new Error(
    `Metric '${name}' is already registered as a ${existing.constructor.name}, not a ${type.name}`,
  );
}

/** Process metrics (CPU, memory, event loop lag, GC, handles) once per registry. */
export function ensureDefaultMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
}

/** Bucket bounds the OpenTelemetry HTTP semantic conventions recommend (seconds). */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** RED metrics of the HTTP server: rate and errors are its counts by status_code, duration its buckets. */
export function httpServerDuration(): Histogram<'method' | 'route' | 'status_code'> {
  return histogram(
    'http_server_request_duration_seconds',
    'Duration of HTTP server requests, by method, route template and status code',
    ['method', 'route', 'status_code'],
    HTTP_DURATION_BUCKETS,
  );
}

/** The Prometheus text exposition of the default registry. */
export function metricsText(): Promise<string> {
  return register.metrics();
}

export const METRICS_CONTENT_TYPE: string = register.contentType;
