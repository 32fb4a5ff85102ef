import { afterSendFailure, isPermanentFailure, retryDelayMs, type EmailRetryPolicy } from './email-retry';

const policy: EmailRetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 5_000 };
const now = new Date('2026-11-21T10:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);

describe('email retry schedule', () => {
  it('doubles the delay per retry up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((retry) => retryDelayMs(retry, policy))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000, 5_000,
    ]);
  });

  it('retries a transient failure at now + the delay of that retry', () => {
    expect(afterSendFailure(1, { message: 'ECONNREFUSED: connect' }, now, policy)).toEqual({
      status: 'pending',
      nextAttemptAt: at(1_000),
      lastError: 'ECONNREFUSED: connect',
    });
    expect(afterSendFailure(3, { smtpCode: 451, message: 'try later' }, now, policy)).toEqual({
      status: 'pending',
      nextAttemptAt: at(4_000),
      lastError: '451 try later',
    });
  });

  it('fails for good once the attempts are used up', () => {
    expect(afterSendFailure(4, { message: 'timeout' }, now, policy).status).toBe('pending');
    expect(afterSendFailure(5, { message: 'timeout' }, now, policy)).toEqual({
      status: 'failed',
      reason: 'retries_exhausted',
      lastError: 'timeout',
    });
  });

  it('fails at once on a permanent (5xx) rejection', () => {
    expect(afterSendFailure(1, { smtpCode: 550, message: 'No such user' }, now, policy)).toEqual({
      status: 'failed',
      reason: 'smtp_rejected',
      lastError: '550 No such user',
    });
  });

  it('tells permanent from transient failures', () => {
    expect(isPermanentFailure({ smtpCode: 550, message: '' })).toBe(true);
    expect(isPermanentFailure({ smtpCode: 554, message: '' })).toBe(true);
    expect(isPermanentFailure({ smtpCode: 421, message: '' })).toBe(false);
    expect(isPermanentFailure({ smtpCode: 451, message: '' })).toBe(false);
    expect(isPermanentFailure({ message: 'ETIMEDOUT' })).toBe(false);
  });
});
