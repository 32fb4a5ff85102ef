import CircuitBreaker from 'opossum';

/**
 * True for opossum's own fast rejections (breaker open, shut down, capacity
 * full): the action never ran, so retrying at once only adds load.
 */
export function isBreakerRejection(error: unknown): boolean {
  if (!(error instanceof Error) || !CircuitBreaker.isOurError(error)) return false;
  const { code } = error as Error & { code?: unknown };
  return code === 'EOPENBREAKER' || code === 'ESHUTDOWN' || code === 'ESEMLOCKED';
}
