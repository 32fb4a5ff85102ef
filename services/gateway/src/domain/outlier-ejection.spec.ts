import { ActiveHealth } from './active-health';
import { ejectionDuration, mayEject, OutlierDetector, type OutlierPolicy } from './outlier-ejection';

const policy: OutlierPolicy = {
  consecutiveFailures: 3,
  baseEjectionMs: 1_000,
  maxEjectionMs: 10_000,
  maxEjectionPercent: 50,
};

describe('outlier ejection', () => {
  it('ejects after N consecutive failures, not before', () => {
    const detector = new OutlierDetector(policy);
    expect(detector.recordFailure(0)).toEqual({ ejected: false });
    expect(detector.recordFailure(1)).toEqual({ ejected: false });
    expect(detector.recordFailure(2)).toEqual({
      ejected: true,
      untilMs: 1_002,
      durationMs: 1_000,
      ejections: 1,
    });
    expect(detector.isEjected(1_001)).toBe(true);
    expect(detector.isEjected(1_002)).toBe(false);
  });

  it('counts only consecutive failures: a success resets the streak', () => {
    const detector = new OutlierDetector(policy);
    detector.recordFailure(0);
    detector.recordFailure(0);
    detector.recordSuccess(0);
    expect(detector.recordFailure(0).ejected).toBe(false);
    expect(detector.recordFailure(0).ejected).toBe(false);
    expect(detector.recordFailure(0).ejected).toBe(true);
  });

  it('doubles the ejection each time the instance fails again after returning, up to the cap', () => {
    const detector = new OutlierDetector(policy);
    let now = 0;
    const durations: number[] = [];
    for (let round = 0; round < 6; round++) {
      let verdict = detector.recordFailure(now);
      while (!verdict.ejected) verdict = detector.recordFailure(now);
      durations.push(verdict.durationMs);
      now = verdict.untilMs; // back in rotation, fails again at once
    }
    expect(durations).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('ignores failures of requests still in flight while ejected', () => {
    const detector = new OutlierDetector(policy);
    for (let i = 0; i < 3; i++) detector.recordFailure(0);
    for (let i = 0; i < 10; i++) expect(detector.recordFailure(500).ejected).toBe(false);
    expect(detector.isEjected(1_000)).toBe(false); // not extended
  });

  it('forgives past ejections after behaving for maxEjectionMs', () => {
    const detector = new OutlierDetector(policy);
    for (let i = 0; i < 3; i++) detector.recordFailure(0); // ejected until 1,000
    detector.recordSuccess(5_000); // too early to forgive
    expect(detector.ejectionCount).toBe(1);
    detector.recordSuccess(11_000);
    expect(detector.ejectionCount).toBe(0);
    let verdict = detector.recordFailure(11_000);
    while (!verdict.ejected) verdict = detector.recordFailure(11_000);
    expect(verdict.durationMs).toBe(1_000);
  });

  it('does not eject when the service cannot spare the instance', () => {
    const detector = new OutlierDetector(policy);
    for (let i = 0; i < 5; i++) expect(detector.recordFailure(0, false).ejected).toBe(false);
    expect(detector.recordFailure(0, true).ejected).toBe(true);
  });

  it('computes durations and the ejection cap', () => {
    expect(ejectionDuration(1, policy)).toBe(1_000);
    expect(ejectionDuration(3, policy)).toBe(4_000);
    expect(mayEject(0, 2, 50)).toBe(true);
    expect(mayEject(1, 2, 50)).toBe(false);
    expect(mayEject(0, 1, 10)).toBe(true); // at least one always may
    expect(mayEject(2, 10, 30)).toBe(true);
    expect(mayEject(3, 10, 30)).toBe(false);
  });
});

describe('active health', () => {
  it('goes unhealthy after the threshold of failed probes, healthy again after passes', () => {
    const health = new ActiveHealth({ unhealthyThreshold: 2, healthyThreshold: 2 });
    expect(health.healthy).toBe(true);
    expect(health.record(false)).toBe(false);
    expect(health.record(true)).toBe(false); // streak broken
    expect(health.record(false)).toBe(false);
    expect(health.record(false)).toBe(true);
    expect(health.healthy).toBe(false);
    expect(health.record(true)).toBe(false);
    expect(health.record(true)).toBe(true);
    expect(health.healthy).toBe(true);
  });
});
