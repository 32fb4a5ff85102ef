import { backoffCeiling, fullJitterDelay } from './backoff';

const backoff = { baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffCeiling', () => {
  it('doubles from the base delay up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map((retry) => backoffCeiling(retry, backoff))).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000,
    ]);
  });

  it('stays at the cap for absurd retry numbers', () => {
    expect(backoffCeiling(5_000, backoff)).toBe(1_000);
  });
});

describe('fullJitterDelay', () => {
  it('spans the whole interval [0, ceiling) with the injected random', () => {
    expect(fullJitterDelay(2, backoff, () => 0)).toBe(0);
    expect(fullJitterDelay(2, backoff, () => 0.5)).toBe(200);
    expect(fullJitterDelay(2, backoff, () => 0.999_999)).toBe(399);
    expect(fullJitterDelay(9, backoff, () => 0.999_999)).toBe(999);
  });

  it('stays within bounds with Math.random', () => {
    for (let retry = 0; retry < 8; retry += 1) {
      const ceiling = backoffCeiling(retry, backoff);
      for (let sample = 0; sample < 200; sample += 1) {
        const delay = fullJitterDelay(retry, backoff);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });
});
