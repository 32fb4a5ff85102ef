/**
 * Active health checking of one instance (GET /health/ready on a timer):
 * `unhealthyThreshold` failed probes in a row take it out of rotation,
 * `healthyThreshold` passed probes in a row bring it back. New instances
 * start healthy, so a fresh registration gets traffic at once (outlier
 * ejection and the breaker cover one that is not ready after all).
 */
export interface HealthCheckPolicy {
  unhealthyThreshold: number;
  healthyThreshold: number;
}

export class ActiveHealth {
  private healthyNow = true;
  private passes = 0;
  private fails = 0;

  constructor(private readonly policy: HealthCheckPolicy) {}

  get healthy(): boolean {
    return this.healthyNow;
  }

  /** Returns true when the verdict changed. */
  record(passed: boolean): boolean {
    if (passed) {
      this.fails = 0;
      this.passes += 1;
      if (!this.healthyNow && this.passes >= this.policy.healthyThreshold) return this.set(true);
    } else {
      this.passes = 0;
      this.fails += 1;
      if (this.healthyNow && this.fails >= this.policy.unhealthyThreshold) return this.set(false);
    }
    return false;
  }

  private set(healthy: boolean): boolean {
    this.healthyNow = healthy;
    this.passes = 0;
    this.fails = 0;
    return true;
  }
}
