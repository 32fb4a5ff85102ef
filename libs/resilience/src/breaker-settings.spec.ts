import { resolveBreakerSettings, type BreakerSettingsInput } from './breaker-settings';

describe('resolveBreakerSettings', () => {
  it('fills in defaults that keep a quiet breaker from opening on one failure', () => {
    expect(resolveBreakerSettings({ timeoutMs: 500 })).toEqual({
      timeoutMs: 500,
      volumeThreshold: 10,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 10_000,
      rollingWindowMs: 10_000,
    });
  });

  it('derives the timeout as 80% of the caller deadline', () => {
    expect(resolveBreakerSettings({ deadlineMs: 2_000 })).toMatchObject({
      timeoutMs: 1_600,
      deadlineMs: 2_000,
    });
  });

  it('accepts a timeout below the deadline', () => {
    expect(resolveBreakerSettings({ timeoutMs: 1_999, deadlineMs: 2_000 }).timeoutMs).toBe(1_999);
  });

  it('rejects a timeout at or above the caller deadline', () => {
    expect(() => resolveBreakerSettings({ timeoutMs: 2_000, deadlineMs: 2_000 })).toThrow(
      /below the caller's deadline/,
    );
    expect(() => resolveBreakerSettings({ timeoutMs: 5_000, deadlineMs: 2_000 })).toThrow(RangeError);
  });

  it('refuses a breaker without any time limit', () => {
    expect(() => resolveBreakerSettings({} as BreakerSettingsInput)).toThrow(/timeoutMs or deadlineMs/);
  });

  it.each([
    [{ timeoutMs: 100, volumeThreshold: 0 }, /volumeThreshold/],
    [{ timeoutMs: 100, volumeThreshold: 2.5 }, /volumeThreshold/],
    [{ timeoutMs: 100, errorThresholdPercentage: 100 }, /errorThresholdPercentage/],
    [{ timeoutMs: 100, errorThresholdPercentage: 0 }, /errorThresholdPercentage/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ timeoutMs: 100, resetTimeoutMs: -1 }, /resetTimeoutMs/],
    [{ timeoutMs: 100, rollingWindowMs: 1 }, /rollingWindowMs/],
    [{ deadlineMs: 1 }, /too short/],
  ])('rejects %j', (input, message) => {
    expect(() => resolveBreakerSettings(input as BreakerSettingsInput)).toThrow(message);
  });
});
