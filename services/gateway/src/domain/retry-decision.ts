import { fullJitterDelay, type BackoffOptions } from '@shop/resilience';

/** Why one attempt at one instance failed, as far as retrying cares. */
export type AttemptFailure =
  /** No connection, reset, or the socket closed before an answer. */
  | 'connection'
  /** The per-try timeout fired. */
  | 'timeout'
  /** The instance answered 502, 503 or 504. */
  | 'unavailable-status'
  /** Another 5xx: the instance answered, most likely a bug; the same request would fail again. */
  | 'server-error-status'
  /** The instance's breaker is open: nothing was sent. */
  | 'breaker-open'
  /** The service's bulkhead is full: local overload, retrying adds to it. */
  | 'bulkhead-full'
  /** The overall deadline passed or the client went away. */
  | 'deadline';

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly usesBudget: boolean }
  | { readonly retry: false; readonly reason: RetryRefusal };

export type RetryRefusal =
  | 'not-idempotent'
  | 'not-retryable'
  | 'attempts-exhausted'
  | 'no-other-instance'
  | 'deadline'
  | 'budget-exhausted';

export interface RetryContext {
  readonly idempotent: boolean;
  readonly failure: AttemptFailure;
  /** Attempts made so far (1 after the first failed). */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Eligible instances this request has not tried yet. */
  readonly untriedInstances: number;
  /** Time left before the overall deadline. */
  readonly remainingMs: number;
  readonly backoff: BackoffOptions;
  /** Takes one retry from the service's budget (RetryBudget.tryAcquireRetry); asked last, only if all else allows. */
  readonly tryAcquireBudget: () => boolean;
  readonly random?: () => number;
}

const RETRYABLE: ReadonlySet<AttemptFailure> = new Set([
  'connection',
  'timeout',
  'unavailable-status',
  'breaker-open',
]);

/**
 * Whether to retry a failed attempt on another instance, and after how long.
 * Only idempotent requests (GET/HEAD, or POST with an Idempotency-Key the
 * service deduplicates) are retried; always on an instance not tried yet;
 * after a full-jitter backoff that must fit before the deadline; and only
 * while the service's retry budget (~20% of requests) has a token. An open
 * breaker sent nothing, so moving on from it costs no budget and no wait,
 * whatever the method.
 */
export function decideRetry(context: RetryContext): RetryDecision {
  // An open breaker sent nothing (the body is untouched): any request may move on.
  if (!context.idempotent && context.failure !== 'breaker-open')
    return { retry: false, reason: 'not-idempotent' };
  if (!RETRYABLE.has(context.failure)) return { retry: false, reason: 'not-retryable' };
  if (context.attempt >= context.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  if (context.untriedInstances < 1) return { retry: false, reason: 'no-other-instance' };
  if (context.failure === 'breaker-open') return { retry: true, delayMs: 0, usesBudget: false };
  const delayMs = fullJitterDelay(context.attempt - 1, context.backoff, context.random);
  if (delayMs >= context.remainingMs) return { retry: false, reason: 'deadline' };
  if (!context.tryAcquireBudget()) return { retry: false, reason: 'budget-exhausted' };
  return { retry: true, delayMs, usesBudget: true };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** GET/HEAD/OPTIONS, or a POST carrying an Idempotency-Key (the order API deduplicates those). */
export function isIdempotentRequest(method: string, idempotencyKey: string | string[] | undefined): boolean {
  const upper = method.toUpperCase();
  if (SAFE_METHODS.has(upper)) return true;
  return upper === 'POST' && typeof idempotencyKey === 'string' && idempotencyKey.trim() !== '';
}

/** 502/503/504 say "try elsewhere"; other 5xx say "this request fails". */
export function failureOfStatus(status: number): AttemptFailure | undefined {
  if (status === 502 || status === 503 || status === 504) return 'unavailable-status';
  if (status >= 500) return 'server-error-status';
  return undefined;
}
