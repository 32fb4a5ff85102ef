import { RetryBudget } from '@shop/resilience';
import { decideRetry, failureOfStatus, isIdempotentRequest, type RetryContext } from './retry-decision';

const base: RetryContext = {
  idempotent: true,
  failure: 'connection',
  attempt: 1,
  maxAttempts: 3,
  untriedInstances: 1,
  remainingMs: 10_000,
  backoff: { baseDelayMs: 100, maxDelayMs: 1_000 },
  tryAcquireBudget: () => true,
  random: () => 0.5,
};

describe('decideRetry', () => {
  it('retries an idempotent request after a connection failure, timeout or 502/503/504, with full jitter', () => {
    expect(decideRetry(base)).toEqual({ retry: true, delayMs: 50, usesBudget: true });
    expect(decideRetry({ ...base, failure: 'timeout', attempt: 2 })).toEqual({
      retry: true,
      delayMs: 100,
      usesBudget: true,
    });
    expect(decideRetry({ ...base, failure: 'unavailable-status', random: () => 0.999 }).retry).toBe(true);
  });

  it('never retries a request that is not idempotent', () => {
    expect(decideRetry({ ...base, idempotent: false })).toEqual({ retry: false, reason: 'not-idempotent' });
  });

  it('does not retry failures that would fail again or add to local overload', () => {
    for (const failure of ['server-error-status', 'bulkhead-full', 'deadline'] as const) {
      expect(decideRetry({ ...base, failure })).toEqual({ retry: false, reason: 'not-retryable' });
    }
  });

  it('stops at maxAttempts and when no other instance is left', () => {
    expect(decideRetry({ ...base, attempt: 3 })).toEqual({ retry: false, reason: 'attempts-exhausted' });
    expect(decideRetry({ ...base, untriedInstances: 0 })).toEqual({
      retry: false,
      reason: 'no-other-instance',
    });
  });

  it('does not retry when the backoff would not fit before the deadline', () => {
    expect(decideRetry({ ...base, remainingMs: 50 })).toEqual({ retry: false, reason: 'deadline' });
  });

  it('moves on from an open breaker at once without spending the budget', () => {
    let asked = 0;
    const decision = decideRetry({
      ...base,
      failure: 'breaker-open',
      tryAcquireBudget: () => (asked++, false),
    });
    expect(decision).toEqual({ retry: true, delayMs: 0, usesBudget: false });
    expect(asked).toBe(0);
    // nothing was sent, so even a plain POST may go to another instance
    expect(decideRetry({ ...base, idempotent: false, failure: 'breaker-open' }).retry).toBe(true);
  });

  it('asks the budget last: a refused retry for another reason spends no token', () => {
    let asked = 0;
    decideRetry({ ...base, untriedInstances: 0, tryAcquireBudget: () => (asked++, true) });
    decideRetry({ ...base, idempotent: false, tryAcquireBudget: () => (asked++, true) });
    expect(asked).toBe(0);
  });

  it('caps retries near 20% of requests with a shared RetryBudget', () => {
    let now = 0;
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0, windowMs: 10_000, now: () => now });
    let retries = 0;
    for (let i = 0; i < 100; i++) {
      budget.recordRequest();
      now += 10; // 100 failing requests within one window
      const decision = decideRetry({ ...base, tryAcquireBudget: () => budget.tryAcquireRetry() });
      if (decision.retry) retries += 1;
    }
    expect(retries).toBe(20);
    const refused = decideRetry({ ...base, tryAcquireBudget: () => budget.tryAcquireRetry() });
    expect(refused).toEqual({ retry: false, reason: 'budget-exhausted' });
  });
});

describe('idempotency and statuses', () => {
  it('treats GET/HEAD/OPTIONS and POST with an Idempotency-Key as idempotent', () => {
    expect(isIdempotentRequest('GET', undefined)).toBe(true);
    expect(isIdempotentRequest('head', undefined)).toBe(true);
    expect(isIdempotentRequest('POST', 'key-1')).toBe(true);
    expect(isIdempotentRequest('POST', undefined)).toBe(false);
    expect(isIdempotentRequest('POST', ' ')).toBe(false);
    expect(isIdempotentRequest('POST', ['a', 'b'])).toBe(false);
    expect(isIdempotentRequest('PATCH', 'key-1')).toBe(false);
    expect(isIdempotentRequest('DELETE', undefined)).toBe(false);
  });

  it('classifies upstream statuses', () => {
    expect(failureOfStatus(503)).toBe('unavailable-status');
    expect(failureOfStatus(500)).toBe('server-error-status');
    expect(failureOfStatus(404)).toBeUndefined();
    expect(failureOfStatus(429)).toBeUndefined();
  });
});
