import { SpanKind, trace } from '@opentelemetry/api';
import type { RouteDefinition } from '../domain/route-table';

/**
 * Names the request's HTTP server span after the gateway route it matched
 * (`POST /api/orders/**`) instead of the catch-all Fastify route (`/api/*`),
 * so traces in Jaeger are found by what the caller did.
 */
export function nameServerSpan(method: string, route: RouteDefinition): void {
  const span = trace.getActiveSpan();
  if (!span || (span as { kind?: SpanKind }).kind !== SpanKind.SERVER) return;
  const path = route.paths[0] ?? '/api/*';
  span.setAttribute('http.route', path);
  span.setAttribute('gateway.route', route.id);
  span.updateName(`${method} ${path}`);
}
