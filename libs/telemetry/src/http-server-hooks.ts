import { trace, SpanKind } from '@opentelemetry/api';
import { httpServerDuration } from './metrics';

/** The parts of Fastify's request, reply and instance these hooks use. */
interface RequestLike {
  method: string;
  routeOptions?: { url?: string };
}
interface ReplyLike {
  statusCode: number;
  /** Milliseconds since the request arrived (Fastify >= 4). */
  elapsedTime: number;
}
type Hook = (request: RequestLike, reply: ReplyLike, done: () => void) => void;
export interface FastifyLike {
  addHook(name: 'onRequest' | 'onResponse', hook: Hook): unknown;
}

/** Label for requests no route matched (404s): keeps the label set bounded. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Fastify hooks, so every response counts, including 404s and the 401s
 * guards send before any Nest interceptor runs:
 * - onRequest names the HTTP server span `METHOD /route/:template` and sets
 *   `http.route` (the nestjs-core instrumentation would, but is inert on Nest 12);
 * - onResponse observes http_server_request_duration_seconds.
 */
export function installHttpServerHooks(fastify: FastifyLike): void {
  const duration = httpServerDuration();
  fastify.addHook('onRequest', (request, _reply, done) => {
    nameServerSpan(request);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: routeOf(request), status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

function routeOf(request: RequestLike): string {
  return request.routeOptions?.url ?? UNMATCHED_ROUTE;
}

function nameServerSpan(request: RequestLike): void {
  const span = trace.getActiveSpan();
  // Only the span of this request (http instrumentation): never an enclosing one.
  if (!span || (span as { kind?: SpanKind }).kind !== SpanKind.SERVER) return;
  const route = routeOf(request);
  span.setAttribute('http.route', route);
  span.updateName(`${request.method} ${route}`);
}
