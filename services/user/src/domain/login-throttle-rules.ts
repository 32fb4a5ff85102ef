/**
 * Brute-force protection, the arithmetic: fixed windows of failed logins
 * per account and per client address. A window starts at its first failure
 * and lasts `windowMs`; while either count has reached its limit, logins
 * are refused (429) until that window ends, even with the right password.
 */
export interface LoginThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/** One counter as stored: failures so far and the time left in its window (null: no window open). */
export interface FailureWindow {
  failures: number;
  remainingMs: number | null;
}

export type ThrottleScope = 'account' | 'address';

export type ThrottleDecision =
  { allowed: true } | { allowed: false; scope: ThrottleScope; retryAfterSeconds: number };

export function throttleDecision(
  windows: { account: FailureWindow; address: FailureWindow },
  limits: LoginThrottleLimits,
): ThrottleDecision {
  const blocked = (
    [
      ['account', windows.account, limits.maxFailuresPerAccount],
      ['address', windows.address, limits.maxFailuresPerAddress],
    ] as const
  )
    .filter(([, window, max]) => window.failures >= max)
    .map(([scope, window]) => ({ scope, retryAfterMs: window.remainingMs ?? limits.windowMs }));
  if (blocked.length === 0) return { allowed: true };
  const longest = blocked.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a));
  return { allowed: false, scope: longest.scope, retryAfterSeconds: retryAfterSeconds(longest.retryAfterMs) };
}

/** Retry-After is whole seconds; never 0 while still blocked. */
export function retryAfterSeconds(remainingMs: number): number {
  return Math.max(1, Math.ceil(remainingMs / 1000));
}
