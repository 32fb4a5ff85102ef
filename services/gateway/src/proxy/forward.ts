import {
  BulkheadRejectedError,
  isBreakerRejection,
  TimeoutError,
  type BackoffOptions,
} from '@shop/resilience';
import type { Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import type { BalancerKind } from '../domain/balancers';
import { decideRetry, type AttemptFailure } from '../domain/retry-decision';
import { gatewayMetrics } from '../metrics/gateway-metrics';
import {
  UpstreamStatusError,
  type UpstreamInstance,
  type UpstreamResponse,
} from '../upstreams/upstream-instance';
import type { UpstreamService } from '../upstreams/upstream-service';
import { PayloadTooLargeError } from './request-body';

export interface ForwardRequest {
  service: UpstreamService;
  routeId: string;
  balancer: BalancerKind;
  method: Dispatcher.HttpMethod;
  path: string;
  headers: Record<string, string | string[]>;
  /** A Buffer when the request may be retried, a stream (sent once) otherwise. */
  body: Buffer | Readable | null;
  idempotent: boolean;
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal;
  deadlineMs: number;
  maxAttempts: number;
  backoff: BackoffOptions;
}

export type ForwardOutcome =
  | {
      readonly kind: 'response';
      readonly response: UpstreamResponse;
      readonly instance: UpstreamInstance;
      readonly attempts: number;
    }
  | {
      readonly kind: 'failure';
      readonly failure: AttemptFailure | 'no-instance' | 'payload-too-large' | 'client-gone';
      /** The last 5xx an instance answered: relayed to the client as is. */
      readonly upstreamResponse?: UpstreamResponse;
      readonly retryAfterSeconds?: number;
      readonly attempts: number;
    };

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * Sends one client request to the service: picks an instance with the
 * route's balancer, runs each attempt in the service's bulkhead and the
 * instance's breaker (per-try timeout), feeds outcomes to outlier detection,
 * and retries on another instance when decideRetry allows (idempotent,
 * budget, deadline). The whole thing is bounded by the deadline, which stops
 * counting once response headers arrived (the body then streams under the
 * pool's bodyTimeout). Resolves; never rejects.
 */
export async function forward(request: ForwardRequest): Promise<ForwardOutcome> {
  const { service } = request;
  service.budget.recordRequest();
  const control = new AbortController();
  const deadline = setTimeout(
    () => control.abort(new DeadlineExceeded('deadline passed')),
    request.deadlineMs,
  );
  const onClientGone = () => control.abort(request.clientSignal.reason);
  request.clientSignal.addEventListener('abort', onClientGone, { once: true });
  const startedAt = Date.now();
  const tried = new Set<string>();
  let lastFailure: ForwardOutcome & { kind: 'failure' } = {
    kind: 'failure',
    failure: 'no-instance',
    attempts: 0,
  };

  try {
    for (let attempt = 1; ; attempt++) {
      const now = Date.now();
      const instance = service.pick(request.routeId, request.balancer, tried, now);
      if (!instance) {
        if (attempt === 1)
          lastFailure = { kind: 'failure', failure: 'no-instance', retryAfterSeconds: 1, attempts: 0 };
        return lastFailure;
      }
      tried.add(instance.key);
      instance.outstanding += 1;
      const attemptStart = performance.now();
      try {
        const response = await service.bulkhead.run(
          () =>
            instance.send({
              method: request.method,
              path: request.path,
              headers: request.headers,
              body: request.body,
              signal: control.signal,
            }),
          { signal: control.signal },
        );
        observe(service, instance, attemptStart, 'ok');
        service.recordOutcome(instance, true, Date.now());
        clearTimeout(deadline); // headers are in: the body streams without the deadline
        response.body.once('close', () => (instance.outstanding -= 1));
        return { kind: 'response', response, instance, attempts: attempt };
      } catch (error) {
        const failure = classify(error, control.signal, request.clientSignal);
        const upstreamResponse = error instanceof UpstreamStatusError ? error.response : undefined;
        if (upstreamResponse) upstreamResponse.body.once('close', () => (instance.outstanding -= 1));
        else instance.outstanding -= 1;
        observe(service, instance, attemptStart, failure);
        if (failure === 'payload-too-large' || failure === 'client-gone') {
          await upstreamResponse?.body.dump();
          return { kind: 'failure', failure, attempts: attempt };
        }
        if (countsAgainstInstance(failure)) service.recordOutcome(instance, false, Date.now());
        await lastFailure.upstreamResponse?.body.dump();
        lastFailure = {
          kind: 'failure',
          failure,
          attempts: attempt,
          ...(upstreamResponse && { upstreamResponse }),
          ...(error instanceof BulkheadRejectedError && { retryAfterSeconds: error.retryAfterSeconds }),
          ...(failure === 'breaker-open' && { retryAfterSeconds: 1 }),
        };
        if (failure === 'deadline') return lastFailure;
        const decision = decideRetry({
          idempotent: request.idempotent,
          failure,
          attempt,
          maxAttempts: request.maxAttempts,
          untriedInstances: service.eligible(tried, Date.now()).length,
          remainingMs: request.deadlineMs - (Date.now() - startedAt),
          backoff: request.backoff,
          tryAcquireBudget: () => service.budget.tryAcquireRetry(),
        });
        if (!decision.retry) {
          gatewayMetrics.retriesRefused.inc({ upstream: service.name, reason: decision.reason });
          return lastFailure;
        }
        gatewayMetrics.retries.inc({ upstream: service.name });
        await lastFailure.upstreamResponse?.body.dump();
        if (!(await pause(decision.delayMs, control.signal))) {
          return { ...lastFailure, failure: request.clientSignal.aborted ? 'client-gone' : 'deadline' };
        }
      }
    }
  } finally {
    clearTimeout(deadline);
    request.clientSignal.removeEventListener('abort', onClientGone);
  }
}

function classify(
  error: unknown,
  signal: AbortSignal,
  clientSignal: AbortSignal,
): AttemptFailure | 'payload-too-large' | 'client-gone' {
  if (
    error instanceof PayloadTooLargeError ||
    (error as { cause?: unknown })?.cause instanceof PayloadTooLargeError
  ) {
    return 'payload-too-large';
  }
  if (clientSignal.aborted) return 'client-gone';
  if (signal.aborted) return 'deadline';
  if (error instanceof UpstreamStatusError) return error.failure;
  if (isBreakerRejection(error)) return 'breaker-open';
  if (error instanceof BulkheadRejectedError) return 'bulkhead-full';
  const code = (error as { code?: unknown })?.code;
  if (
    error instanceof TimeoutError ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return 'timeout';
  }
  return 'connection';
}

/** Failures that say something about the instance (not local overload, not the deadline). */
function countsAgainstInstance(failure: AttemptFailure): boolean {
  return (
    failure === 'connection' ||
    failure === 'timeout' ||
    failure === 'unavailable-status' ||
    failure === 'server-error-status'
  );
}

function observe(
  service: UpstreamService,
  instance: UpstreamInstance,
  startedAt: number,
  outcome: string,
): void {
  if (outcome === 'bulkhead-full' || outcome === 'breaker-open') return; // nothing was sent
  gatewayMetrics.upstreamDuration.observe(
    { upstream: service.name, instance: instance.id, outcome },
    (performance.now() - startedAt) / 1000,
  );
}

/** Sleeps; false when the signal aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
