/**
 * Where this process's spans go, decided from the standard OTEL_* variables
 * alone (pure, so the rules are unit-tested):
 *
 * - `disabled`: OTEL_SDK_DISABLED=true. No spans, no instrumentation; only
 *   W3C context propagation stays on, so trace headers received are passed on.
 * - `otlp`: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) or
 *   OTEL_EXPORTER_OTLP_ENDPOINT (+ `/v1/traces`) is set, or
 *   OTEL_TRACES_EXPORTER=otlp asks for the OTLP default (localhost:4318).
 * - `console`: OTEL_TRACES_EXPORTER=console (local debugging).
 * - `none`: no endpoint configured, or OTEL_TRACES_EXPORTER=none. Spans are
 *   still created and propagated (trace ids in logs and downstream headers),
 *   just never exported, instead of retrying a collector that is not there.
 */
export type TraceExportPlan =
  { kind: 'disabled' } | { kind: 'otlp'; url: string } | { kind: 'console' } | { kind: 'none' };

type Env = Record<string, string | undefined>;

const OTLP_HTTP_DEFAULT_ENDPOINT = 'http://localhost:4318';

export function traceExportPlan(env: Env): TraceExportPlan {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { kind: 'disabled' };

  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (exporters.includes('none')) return { kind: 'none' };
  if (exporters.includes('console')) return { kind: 'console' };

  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (tracesEndpoint) return { kind: 'otlp', url: tracesEndpoint };
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (endpoint) return { kind: 'otlp', url: signalUrl(endpoint) };
  if (exporters.includes('otlp')) return { kind: 'otlp', url: signalUrl(OTLP_HTTP_DEFAULT_ENDPOINT) };
  return { kind: 'none' };
}

export function describeTraceExport(plan: TraceExportPlan): string {
  switch (plan.kind) {
    case 'disabled':
      return 'disabled (OTEL_SDK_DISABLED=true): no spans, trace context only passed through';
    case 'otlp':
      return `OTLP/HTTP to ${plan.url}`;
    case 'console':
      return 'console';
    case 'none':
      return 'not exported (no OTEL_EXPORTER_OTLP_ENDPOINT): spans recorded for propagation and logs only';
  }
}

/** The OTLP rule for the generic endpoint: the signal path is appended. */
function signalUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
