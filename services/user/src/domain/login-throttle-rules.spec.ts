import { retryAfterSeconds, throttleDecision } from './login-throttle-rules';

const limits = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowMs: 900_000 };
const none = { failures: 0, remainingMs: null };

describe('login throttle rules', () => {
  it('allows while both counts are under their limits', () => {
    expect(
      throttleDecision(
        { account: { failures: 4, remainingMs: 1000 }, address: { failures: 19, remainingMs: 1000 } },
        limits,
      ),
    ).toEqual({
      allowed: true,
    });
  });

  it('blocks an account at its limit until its window ends', () => {
    expect(
      throttleDecision({ account: { failures: 5, remainingMs: 61_200 }, address: none }, limits),
    ).toEqual({
      allowed: false,
      scope: 'account',
      retryAfterSeconds: 62,
    });
  });

  it('blocks an address at its limit whatever the account', () => {
    expect(
      throttleDecision({ account: none, address: { failures: 20, remainingMs: 5_000 } }, limits),
    ).toEqual({
      allowed: false,
      scope: 'address',
      retryAfterSeconds: 5,
    });
  });

  it('when both are blocked, answers with the window that ends last', () => {
    const decision = throttleDecision(
      { account: { failures: 9, remainingMs: 3_000 }, address: { failures: 25, remainingMs: 400_000 } },
      limits,
    );
    expect(decision).toEqual({ allowed: false, scope: 'address', retryAfterSeconds: 400 });
  });

  it('assumes a whole window when a counter has no expiry', () => {
    expect(
      throttleDecision({ account: { failures: 5, remainingMs: null }, address: none }, limits),
    ).toMatchObject({
      retryAfterSeconds: 900,
    });
  });

  it('rounds Retry-After up to whole seconds, never to 0', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(0)).toBe(1);
  });
});
