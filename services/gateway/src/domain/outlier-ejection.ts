/**
 * Passive outlier detection, per upstream instance (after Envoy's
 * consecutive-5xx detector): `consecutiveFailures` failed calls in a row
 * eject the instance for `baseEjectionMs * 2^(n-1)`, n being how many times
 * it was ejected recently (capped at `maxEjectionMs`). An instance that
 * keeps failing after each return stays out longer and longer; one that
 * behaves for `maxEjectionMs` after its last ejection starts from the base
 * again. Failures while ejected (requests already in flight) do not extend it.
 */
export interface OutlierPolicy {
  consecutiveFailures: number;
  baseEjectionMs: number;
  maxEjectionMs: number;
  /** At most this share of a service's instances may be ejected at once (at least one always may). */
  maxEjectionPercent: number;
}

export const DEFAULT_OUTLIER_POLICY: OutlierPolicy = {
  consecutiveFailures: 5,
  baseEjectionMs: 5_000,
  maxEjectionMs: 60_000,
  maxEjectionPercent: 50,
};

export type FailureVerdict =
  | { readonly ejected: false }
  | {
      readonly ejected: true;
      readonly untilMs: number;
      readonly durationMs: number;
      readonly ejections: number;
    };

export class OutlierDetector {
  private consecutive = 0;
  private ejections = 0;
  private ejectedUntil = 0;

  constructor(private readonly policy: OutlierPolicy) {}

  isEjected(now: number): boolean {
    return now < this.ejectedUntil;
  }

  get ejectionCount(): number {
    return this.ejections;
  }

  recordSuccess(now: number): void {
    this.consecutive = 0;
    if (this.ejections > 0 && !this.isEjected(now) && now - this.ejectedUntil >= this.policy.maxEjectionMs) {
      this.ejections = 0; // behaved long enough: forgive
    }
  }

  /** `mayEject`: whether the service can spare another ejected instance right now (see mayEject()). */
  recordFailure(now: number, mayEject = true): FailureVerdict {
    if (this.isEjected(now)) return { ejected: false };
    this.consecutive += 1;
    if (this.consecutive < this.policy.consecutiveFailures || !mayEject) return { ejected: false };
    this.consecutive = 0;
    this.ejections += 1;
    const durationMs = ejectionDuration(this.ejections, this.policy);
    this.ejectedUntil = now + durationMs;
    return { ejected: true, untilMs: this.ejectedUntil, durationMs, ejections: this.ejections };
  }
}

/** base * 2^(n-1), capped: the n-th ejection in a row. */
export function ejectionDuration(
  ejections: number,
  policy: Pick<OutlierPolicy, 'baseEjectionMs' | 'maxEjectionMs'>,
): number {
  return Math.min(policy.maxEjectionMs, policy.baseEjectionMs * 2 ** Math.max(0, ejections - 1));
}

/** Whether one more instance may be ejected when `ejected` of `total` already are. */
export function mayEject(ejected: number, total: number, maxEjectionPercent: number): boolean {
  const allowed = Math.max(1, Math.floor((total * maxEjectionPercent) / 100));
  return ejected < allowed;
}
