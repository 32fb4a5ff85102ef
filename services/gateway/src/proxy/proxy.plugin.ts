import { errorBody, httpStatusOf, type ErrorCode } from '@shop/contracts';
import { signIdentity } from '@shop/service-kit';
import { trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { clientResponseHeaders, traceHeadersOf, upstreamRequestHeaders } from '../domain/forwarded-headers';
import { isIdempotentRequest } from '../domain/retry-decision';
import { accessDenial, matchRoute, type RouteDefinition } from '../domain/route-table';
import { isStorableResponse } from '../domain/stale-if-error';
import type { GatewayRuntime } from '../gateway-runtime';
import { gatewayMetrics } from '../metrics/gateway-metrics';
import { forward, type ForwardOutcome } from './forward';
import { declaredLength, limitBody, PayloadTooLargeError, readBody } from './request-body';
import { nameServerSpan } from './name-server-span';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The catch-all proxy under /api, as an encapsulated Fastify plugin on the
 * service kit's Fastify instance: its own content-type parser leaves every
 * body unread (streamed or buffered here, never parsed), its own error
 * handler answers in the platform's error body. The kit's request ids,
 * HTTP metrics and graceful shutdown apply to it like to any route.
 */
export function registerProxy(fastify: FastifyInstance, runtime: GatewayRuntime): void {
  void fastify.register(async (proxy) => {
    proxy.removeAllContentTypeParsers();
    proxy.addContentTypeParser('*', (_request, _payload, done) => done(null));
    proxy.setErrorHandler((error, request, reply) => {
      if (error instanceof PayloadTooLargeError)
        return sendError(reply, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
      runtime.logger.error(
        { err: error, requestId: request.id, path: request.url.split('?')[0] },
        'proxy failure',
      );
      return sendError(reply, 'INTERNAL', 'Internal server error');
    });
    proxy.route({
      method: METHODS,
      url: '/api/*',
      exposeHeadRoute: false,
      handler: (request, reply) => handle(runtime, request, reply),
    });
  });
}

async function handle(
  runtime: GatewayRuntime,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const config = runtime.config;
  const lookup = matchRoute(request.method, request.url, runtime.routes);
  if (!lookup.found)
    return sendError(reply, 'NOT_FOUND', `Cannot ${request.method} ${request.url.split('?')[0]}`);
  const { route, upstreamPath } = lookup.match;
  nameServerSpan(request.method, route);

  const auth = await runtime.authenticator.authenticate(request.headers.authorization);
  if (auth.kind === 'keys-unavailable' && route.access.kind !== 'public') {
    reply.header('retry-after', '1');
    return sendError(reply, 'SERVICE_UNAVAILABLE', 'Access tokens cannot be verified right now');
  }
  if (auth.kind === 'invalid' && route.access.kind !== 'public') {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    return sendError(reply, 'UNAUTHORIZED', auth.message);
  }
  const caller = auth.kind === 'user' ? auth.identity : undefined; // public routes ignore a bad token
  const denial = accessDenial(route.access, caller);
  if (denial === 'unauthenticated') {
    reply.header('www-authenticate', 'Bearer');
    return sendError(reply, 'UNAUTHORIZED', 'Authentication required');
  }
  if (denial === 'forbidden' && route.access.kind === 'roles') {
    return sendError(reply, 'FORBIDDEN', `This needs the role ${route.access.roles.join(' or ')}`);
  }

  const address = clientAddress(request, config.TRUST_FORWARDED_FOR);
  const limit = await runtime.rateLimiter.check({ address, ...(caller && { userId: caller.userId }) });
  if (limit.limited) {
    gatewayMetrics.rateLimited.inc({ scope: limit.scope });
    reply.header('retry-after', String(limit.retryAfterSeconds));
    return sendError(
      reply,
      'RATE_LIMITED',
      `Too many requests (${limit.limit} per ${config.RATE_LIMIT_WINDOW_MS / 1000} s per ${limit.scope})`,
      {
        retryAfterSeconds: limit.retryAfterSeconds,
      },
    );
  }

  const service = runtime.directory.service(route.service);
  if (!service) return sendError(reply, 'NOT_FOUND', `Cannot ${request.method} ${request.url.split('?')[0]}`);

  const length = declaredLength(request.headers['content-length']);
  if (length !== undefined && length > config.BODY_LIMIT_BYTES) {
    return sendError(reply, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
  }
  const hasBody = (length ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  const idempotent = isIdempotentRequest(request.method, request.headers['idempotency-key']);
  let body: Buffer | Readable | null = null;
  if (hasBody)
    body = idempotent
      ? await readBody(request.raw, config.BODY_LIMIT_BYTES)
      : limitBody(request.raw, config.BODY_LIMIT_BYTES);

  const clientGone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) clientGone.abort(new Error('client closed the connection'));
  });

  const headers = upstreamRequestHeaders(request.headers, {
    requestId: request.id,
    clientAddress: request.socket.remoteAddress ?? 'unknown',
    ...(config.TRUST_FORWARDED_FOR &&
      typeof request.headers['x-forwarded-for'] === 'string' && {
        trustedForwardedFor: request.headers['x-forwarded-for'],
      }),
    proto: request.protocol === 'https' ? 'https' : 'http',
    host: request.headers.host,
    ...(caller && { identity: signIdentity(caller, config.IDENTITY_HMAC_SECRET) }),
    // With the tracing SDK running, undici's instrumentation sends the gateway's own span context.
    traceHeaders: trace.getActiveSpan() ? {} : traceHeadersOf(request.headers),
    ...(Buffer.isBuffer(body) && { contentLength: body.length }),
    ...(body !== null && !Buffer.isBuffer(body) && length !== undefined && { contentLength: length }),
  });

  const outcome = await forward({
    service,
    routeId: route.id,
    balancer: runtime.balancerOf(route),
    method: request.method as Dispatcher.HttpMethod,
    path: upstreamPath,
    headers,
    body,
    idempotent,
    clientSignal: clientGone.signal,
    deadlineMs: config.REQUEST_DEADLINE_MS,
    maxAttempts: config.RETRY_MAX_ATTEMPTS,
    backoff: { baseDelayMs: config.RETRY_BASE_DELAY_MS, maxDelayMs: config.RETRY_MAX_DELAY_MS },
  });
  const staleKey = `${route.service} ${request.url}`;

  if (outcome.kind === 'response') {
    const { response } = outcome;
    const responseHeaders = clientResponseHeaders(response.headers);
    reply.code(response.statusCode).headers(responseHeaders);
    if (request.method === 'HEAD') {
      await response.body.dump();
      return reply.send();
    }
    const stored =
      route.staleIfError &&
      isStorableResponse(request.method, response.statusCode, response.headers, config.STALE_MAX_ENTRY_BYTES);
    return reply.send(
      stored
        ? runtime.staleCache.capture(staleKey, response.statusCode, responseHeaders, response.body)
        : response.body,
    );
  }
  return answerFailure(runtime, route, request, reply, outcome, staleKey);
}

function answerFailure(
  runtime: GatewayRuntime,
  route: RouteDefinition,
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: ForwardOutcome & { kind: 'failure' },
  staleKey: string,
): unknown {
  if (outcome.failure === 'client-gone') return reply.code(499).send(); // nobody is listening
  if (outcome.failure === 'payload-too-large')
    return sendError(reply, 'PAYLOAD_TOO_LARGE', 'Request body is too large');

  const stale = route.staleIfError && request.method === 'GET' ? runtime.staleCache.get(staleKey) : undefined;
  if (stale) {
    void outcome.upstreamResponse?.body.dump();
    gatewayMetrics.staleResponses.inc({ upstream: route.service });
    return reply
      .code(stale.status)
      .headers(stale.headers)
      .header('age', String(Math.floor((Date.now() - stale.storedAt) / 1000)))
      .header('warning', '110 - "Response is Stale"')
      .header('x-gateway-cache', 'stale')
      .send(stale.body);
  }
  if (outcome.upstreamResponse) {
    const { statusCode, headers, body } = outcome.upstreamResponse;
    return reply.code(statusCode).headers(clientResponseHeaders(headers)).send(body);
  }
  if (outcome.retryAfterSeconds !== undefined) reply.header('retry-after', String(outcome.retryAfterSeconds));
  switch (outcome.failure) {
    case 'no-instance':
      return sendError(reply, 'SERVICE_UNAVAILABLE', `No instance of ${route.service} is available`);
    case 'bulkhead-full':
      return sendError(reply, 'SERVICE_UNAVAILABLE', `Too many requests waiting for ${route.service}`);
    case 'breaker-open':
      return sendError(
        reply,
        'SERVICE_UNAVAILABLE',
        `${route.service} is failing; calls are paused (circuit open)`,
      );
    case 'timeout':
    case 'deadline':
      return sendError(reply, 'GATEWAY_TIMEOUT', `${route.service} did not answer in time`);
    default:
      return sendError(reply, 'BAD_GATEWAY', `${route.service} could not be reached`);
  }
}

function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown): FastifyReply {
  const body = errorBody(code, message, details);
  return reply
    .code(httpStatusOf(code))
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

/** The client's address: the socket peer, or the last X-Forwarded-For entry a trusted proxy in front added. */
function clientAddress(request: FastifyRequest, trustForwardedFor: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustForwardedFor && typeof forwarded === 'string') {
    const last = forwarded.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
