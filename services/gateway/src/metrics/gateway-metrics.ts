import { counter, gauge, histogram } from '@shop/telemetry';

/**
 * The gateway's own series (prom-client default registry, GET /metrics).
 * Breaker state and bulkhead counters come from @shop/resilience
 * (`breaker_state{breaker="<service>@<instance>"}`, `bulkhead_rejections_total{bulkhead="<service>"}`),
 * the HTTP RED histogram of the gateway's own server from @shop/telemetry.
 */
let instanceStatesSource: (() => void) | undefined;

/** What refreshes gateway_upstream_instances at each scrape (the running gateway's directory). */
export function setInstanceStatesSource(source: (() => void) | undefined): void {
  instanceStatesSource = source;
}

export const gatewayMetrics = {
  upstreamDuration: histogram(
    'gateway_upstream_request_duration_seconds',
    'Time to response headers of one attempt at one upstream instance',
    ['upstream', 'instance', 'outcome'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
  ejections: counter('gateway_upstream_ejections_total', 'Instances ejected by passive outlier detection', [
    'upstream',
    'instance',
  ]),
  instances: gauge(
    'gateway_upstream_instances',
    'Instances known per service, by state',
    ['upstream', 'state'],
    () => instanceStatesSource?.(),
  ),
  retries: counter('gateway_retries_total', 'Attempts retried on another instance', ['upstream']),
  retriesRefused: counter('gateway_retries_refused_total', 'Failed attempts not retried, by reason', [
    'upstream',
    'reason',
  ]),
  staleResponses: counter(
    'gateway_stale_responses_total',
    'Answers served stale because every instance failed',
    ['upstream'],
  ),
  rateLimited: counter('gateway_rate_limited_total', 'Requests refused by a rate limit', ['scope']),
  healthCheckFailures: counter('gateway_health_check_failures_total', 'Failed active health probes', [
    'upstream',
    'instance',
  ]),
};
