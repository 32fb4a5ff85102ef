import { backoffDelay, withJitter } from './jitter';

describe('withJitter', () => {
  it('spreads a value over ±ratio of itself', () => {
    expect(withJitter(1000, 0.1, () => 0)).toBe(900);
    expect(withJitter(1000, 0.1, () => 0.5)).toBe(1000);
    expect(withJitter(1000, 0.1, () => 0.999999)).toBe(1100);
  });

  it('stays inside the bounds for any random draw', () => {
    for (let i = 0; i < 1000; i++) {
      const value = withJitter(60_000, 0.1);
      expect(value).toBeGreaterThanOrEqual(54_000);
      expect(value).toBeLessThanOrEqual(66_000);
    }
  });

  it('leaves the value unchanged with ratio 0 and never goes below 1 ms', () => {
    expect(withJitter(250, 0, () => 0)).toBe(250);
    expect(withJitter(1, 0.5, () => 0)).toBe(1);
  });

  it('rejects ratios and values that make no sense', () => {
    expect(() => withJitter(100, 1)).toThrow(RangeError);
    expect(() => withJitter(100, -0.1)).toThrow(RangeError);
    expect(() => withJitter(0, 0.1)).toThrow(RangeError);
  });
});

describe('backoffDelay', () => {
  const policy = { baseMs: 100, maxMs: 2_000 };

  it('doubles per attempt, half fixed and half random', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(100);
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(400);
  });

  it('is capped at maxMs however many attempts failed', () => {
    expect(backoffDelay(50, policy, () => 0.999999)).toBe(2_000);
    expect(backoffDelay(50, policy, () => 0)).toBe(1_000);
  });
});
