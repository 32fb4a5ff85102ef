import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { isTransientError } from './transient-errors';

/**
 * How a consumer retries a failing handler: up to `maxAttempts` attempts for
 * ordinary errors (then the dead-letter topic), without limit for errors
 * `isTransient` recognises (infrastructure down: waiting is the fix). Every
 * attempt must finish within the consumer's session timeout; the consumer
 * heartbeats between attempts.
 */
export interface RetryPolicy extends BackoffPolicy {
  maxAttempts: number;
  isTransient(error: unknown): boolean;
}

export const DEFAULT_RETRY: RetryPolicy = {
  ...DEFAULT_BACKOFF,
  maxAttempts: 5,
  isTransient: isTransientError,
};
