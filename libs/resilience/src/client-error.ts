/**
 * Decides whether an error is the caller's fault (bad input, not found,
 * forbidden) rather than a sign that the dependency is unhealthy.
 */
export type ClientErrorPredicate = (error: unknown) => boolean;

// 408 and 429 are 4xx but say "the server is slow or shedding load": they must
// keep counting against the dependency and stay retryable.
const OVERLOAD_STATUSES = new Set([408, 429]);

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  if (typeof status === 'number') return status;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

/**
 * Default predicate: an error carrying an HTTP `status` (or `statusCode`)
 * between 400 and 499, except 408 and 429.
 */
export const isClientError: ClientErrorPredicate = (error) => {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && !OVERLOAD_STATUSES.has(status);
};
