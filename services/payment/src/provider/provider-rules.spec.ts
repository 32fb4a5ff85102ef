import { createBreaker, TimeoutError } from '@shop/resilience';
import { idempotencyKeys } from './idempotency-keys';
import { providerBehaviourChangeSchema } from './provider-behaviour';
import { classify, failureReason } from './provider-client';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import { tokenOutcome } from './token-outcome';

describe('token outcomes of the simulated provider', () => {
  it.each([
    ['tok_ok', 'APPROVED'],
    ['tok_declined', 'DECLINED'],
    ['tok_insufficient_funds', 'INSUFFICIENT_FUNDS'],
    ['tok_visa_4242', 'DECLINED'],
    ['tok_OK', 'DECLINED'],
  ])('%s -> %s', (token, outcome) => {
    expect(tokenOutcome(token)).toBe(outcome);
  });

  it('refuses a token that is not well-formed', () => {
    expect(() => tokenOutcome('ok')).toThrow(RangeError);
    expect(() => tokenOutcome('tok_')).toThrow(RangeError);
    expect(() => tokenOutcome('tok_with space')).toThrow(RangeError);
  });
});

describe('idempotency keys', () => {
  const orderId = '0190f0d0-0000-7000-8000-000000000001';
  const paymentId = '0190f0d0-0000-7000-8000-000000000002';

  it('authorizes once per order, voids once per order, captures and refunds once per payment', () => {
    expect(idempotencyKeys.authorize(orderId)).toBe(orderId);
    expect(idempotencyKeys.void(orderId)).toBe(`void:${orderId}`);
    expect(idempotencyKeys.capture(paymentId)).toBe(`capture:${paymentId}`);
    expect(idempotencyKeys.refund(paymentId)).toBe(`refund:${paymentId}`);
    const all = [
      idempotencyKeys.authorize(orderId),
      idempotencyKeys.void(orderId),
      idempotencyKeys.capture(paymentId),
      idempotencyKeys.refund(paymentId),
    ];
    expect(new Set(all).size).toBe(4);
  });
});

describe('provider failure classification', () => {
  it('a rejection and a 503 did nothing; a timeout or an unknown error may have done it', () => {
    expect(classify(new ProviderRejectedError('captured'))).toBe('rejected');
    expect(classify(new ProviderUnavailableError())).toBe('unavailable');
    expect(classify(new TimeoutError(300))).toBe('ambiguous');
    expect(classify(new Error('socket hang up'))).toBe('ambiguous');
  });

  it('an open breaker is "unavailable": the provider was not asked', async () => {
    const silent = { info: () => undefined, warn: () => undefined };
    const breaker = createBreaker('classify-test', async () => 'never', { timeoutMs: 100, logger: silent });
    breaker.open();
    const error = await breaker.fire().catch((e: unknown) => e);
    expect(classify(error)).toBe('unavailable');
    breaker.shutdown();
  });

  it('names the failure in the *Failed reason', () => {
    expect(failureReason({ failure: 'unavailable', message: 'x' })).toBe('PROVIDER_UNAVAILABLE');
    expect(failureReason({ failure: 'ambiguous', message: 'x' })).toBe('PROVIDER_TIMEOUT');
    expect(failureReason({ failure: 'rejected', message: 'the authorization is VOIDED' })).toBe(
      'PROVIDER_REJECTED: the authorization is VOIDED',
    );
  });
});

describe('provider behaviour changes', () => {
  it('accepts a rate in 0..1 and a latency in 0..60000 ms, alone or together', () => {
    expect(providerBehaviourChangeSchema.parse({ failureRate: 1 })).toEqual({ failureRate: 1 });
    expect(providerBehaviourChangeSchema.parse({ failureRate: 0, latencyMs: 250 })).toEqual({
      failureRate: 0,
      latencyMs: 250,
    });
  });

  it.each([
    {},
    { failureRate: 1.5 },
    { failureRate: -0.1 },
    { latencyMs: -1 },
    { latencyMs: 1.5 },
    { latencyMs: 60_001 },
    { failureRate: '0.5' },
    { other: 1 },
  ])('refuses %j', (body) => {
    expect(providerBehaviourChangeSchema.safeParse(body).success).toBe(false);
  });
});
