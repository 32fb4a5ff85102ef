import type { EmailFailureReason } from './notification';

export interface EmailRetryPolicy {
  /** Sending attempts in all, the first one included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles per retry up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Delay before retry number `retry` (1 = after the first failed attempt): exponential, capped. */
export function retryDelayMs(retry: number, policy: EmailRetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, retry - 1));
}

/** Why a send failed, as the mail adapter saw it. */
export interface SendFailure {
  /** The SMTP reply code when the server answered (e.g. 550, 451); absent for network errors and timeouts. */
  smtpCode?: number;
  message: string;
}

/**
 * A 5xx reply is the server's final word about this message (unknown
 * mailbox, rejected content): sending it again gives the same answer. 4xx
 * replies, refused connections and timeouts are transient.
 */
export function isPermanentFailure(failure: SendFailure): boolean {
  return failure.smtpCode !== undefined && failure.smtpCode >= 500 && failure.smtpCode < 600;
}

export type AfterFailure =
  | { status: 'pending'; nextAttemptAt: Date; lastError: string }
  | { status: 'failed'; reason: EmailFailureReason; lastError: string };

/**
 * After attempt number `attempt` failed: retry later with backoff, or fail
 * for good (visible in the delivery row, the API and the metrics) when the
 * failure is permanent or the attempts are used up.
 */
export function afterSendFailure(
  attempt: number,
  failure: SendFailure,
  now: Date,
  policy: EmailRetryPolicy,
): AfterFailure {
  const lastError = failure.smtpCode ? `${failure.smtpCode} ${failure.message}` : failure.message;
  if (isPermanentFailure(failure)) return { status: 'failed', reason: 'smtp_rejected', lastError };
  if (attempt >= policy.maxAttempts) return { status: 'failed', reason: 'retries_exhausted', lastError };
  return {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, policy)),
    lastError,
  };
}
