import type CircuitBreaker from 'opossum';
import { type Bulkhead } from './bulkhead';
import { retry, type RetryOptions } from './retry';

export interface PolicyOptions {
  bulkhead?: Bulkhead;
  retry?: RetryOptions;
}

/**
 * Wraps a breaker (made by createBreaker, so it carries the per-call timeout)
 * in the order, outermost first: retry -> bulkhead -> breaker -> timeout -> action.
 *
 * - retry outermost: each attempt is a separate breaker call (counted, timed
 *   out and possibly rejected on its own), and backoff sleeps hold no
 *   bulkhead slot;
 * - bulkhead outside the breaker: local overload (BulkheadRejectedError)
 *   never counts as a failure of the dependency, and it is not retried;
 * - timeout innermost: it bounds one attempt and aborts that attempt's signal.
 */
export function withPolicy<TArgs extends unknown[], TResult>(
  breaker: CircuitBreaker<TArgs, TResult>,
  options: PolicyOptions = {},
): (...args: TArgs) => Promise<TResult> {
  const { bulkhead, retry: retryOptions } = options;
  const attempt = (args: TArgs) =>
    bulkhead ? bulkhead.run(() => breaker.fire(...args)) : breaker.fire(...args);
  return (...args: TArgs) => (retryOptions ? retry(() => attempt(args), retryOptions) : attempt(args));
}
