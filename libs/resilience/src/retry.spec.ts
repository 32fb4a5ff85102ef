import { createBreaker } from './breaker';
import { BulkheadRejectedError } from './bulkhead';
import { retry, type RetryOptions } from './retry';
import { RetryBudget } from './retry-budget';
import { httpError, recordingLogger, rejectionOf } from './test-support';

/** An operation failing with a fresh error on each of its first `failures` calls. */
function flaky<T>(failures: number, value: T) {
  const errors: Error[] = [];
  const operation = jest.fn(async () => {
    if (errors.length >= failures) return value;
    const error = new Error(`failure ${errors.length + 1}`);
    errors.push(error);
    throw error;
  });
  return { operation, errors };
}

/** Injected sleep that records the delays and returns at once. */
function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

describe('retry', () => {
  it('retries after delays drawn with full jitter below min(cap, base * 2^n)', async () => {
    const { operation } = flaky(4, 'ok');
    const { delays, sleep } = recordingSleep();
    const randoms = [0.5, 0.999_999, 0, 0.25];

    const result = await retry(operation, {
      idempotent: true,
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 500,
      random: () => randoms.shift() ?? 0,
      sleep,
    });

    expect(result).toBe('ok');
    expect(operation).toHaveBeenCalledTimes(5);
    // ceilings 100, 200, 400, 500 (capped)
    expect(delays).toEqual([50, 199, 0, 125]);
  });

  it('stops at maxAttempts and throws the last error untouched', async () => {
    const { operation, errors } = flaky(10, 'never');
    const { delays, sleep } = recordingSleep();
    const onRetry = jest.fn();

    const error = await rejectionOf(retry(operation, { idempotent: true, maxAttempts: 3, sleep, onRetry }));

    expect(operation).toHaveBeenCalledTimes(3);
    expect(error).toBe(errors[2]);
    expect(delays).toHaveLength(2);
    expect(onRetry.mock.calls.map(([event]) => event.attempt)).toEqual([1, 2]);
  });

  it('passes the attempt number to the operation', async () => {
    const seen: number[] = [];
    const { sleep } = recordingSleep();
    await retry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error('again');
      },
      { idempotent: true, sleep },
    );
    expect(seen).toEqual([1, 2, 3]);
  });

  it('runs a non-idempotent operation exactly once, whatever maxAttempts says', async () => {
    const { operation, errors } = flaky(10, 'never');
    const { sleep } = recordingSleep();

    const error = await rejectionOf(retry(operation, { idempotent: false, maxAttempts: 5, sleep }));

    expect(operation).toHaveBeenCalledTimes(1);
    expect(error).toBe(errors[0]);
  });

  it('refuses to run without an explicit idempotent flag', async () => {
    const { operation } = flaky(0, 'ok');

    await expect(retry(operation, { maxAttempts: 3 } as unknown as RetryOptions)).rejects.toThrow(
      /explicit `idempotent/,
    );
    expect(operation).not.toHaveBeenCalled();
  });

  it('rejects a maxAttempts below 1', async () => {
    await expect(retry(async () => 1, { idempotent: true, maxAttempts: 0 })).rejects.toThrow(RangeError);
  });

  it.each([
    ['a 4xx client error', httpError(422)],
    [
      'a bulkhead rejection',
      new BulkheadRejectedError('catalog', 'full', 1, { maxConcurrent: 1, maxQueue: 0 }),
    ],
  ])('does not retry %s by default', async (_label, failure) => {
    const operation = jest.fn(async () => {
      throw failure;
    });

    await expect(retry(operation, { idempotent: true, sleep: async () => undefined })).rejects.toBe(failure);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('does not retry into an open breaker', async () => {
    const breaker = createBreaker(
      'retry-open-breaker',
      async () => {
        throw new Error('down');
      },
      { timeoutMs: 100, logger: recordingLogger().logger },
    );
    breaker.open();
    const fire = jest.fn(() => breaker.fire());

    await expect(retry(fire, { idempotent: true, sleep: async () => undefined })).rejects.toMatchObject({
      code: 'EOPENBREAKER',
    });
    expect(fire).toHaveBeenCalledTimes(1);
    breaker.shutdown();
  });

  it('retries 5xx and 429 errors', async () => {
    const failures = [httpError(503), httpError(429)];
    const operation = jest.fn(async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return 'ok';
    });

    await expect(retry(operation, { idempotent: true, sleep: async () => undefined })).resolves.toBe('ok');
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('uses a custom retryOn predicate', async () => {
    const { operation } = flaky(5, 'never');
    const retryOn = jest.fn((error: unknown) => (error as Error).message !== 'failure 2');

    await expect(
      retry(operation, { idempotent: true, maxAttempts: 5, retryOn, sleep: async () => undefined }),
    ).rejects.toThrow('failure 2');
    expect(operation).toHaveBeenCalledTimes(2);
  });

  it('stops retrying when the caller signal aborts during the backoff', async () => {
    const caller = new AbortController();
    const { operation } = flaky(10, 'never');
    const gone = new Error('client gone');

    const error = await rejectionOf(
      retry(operation, {
        idempotent: true,
        maxAttempts: 5,
        signal: caller.signal,
        baseDelayMs: 60_000,
        random: () => 0.5,
        onRetry: () => caller.abort(gone),
      }),
    );

    expect(error).toBe(gone);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('keeps retries near 20% of requests when a budget is shared', async () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 0 });
    let calls = 0;
    const alwaysFailing = async () => {
      calls += 1;
      throw new Error('down');
    };

    for (let request = 0; request < 1_000; request += 1) {
      await retry(alwaysFailing, {
        idempotent: true,
        maxAttempts: 3,
        budget,
        sleep: async () => undefined,
      }).catch(() => undefined);
    }

    const retries = calls - 1_000;
    expect(retries).toBe(200);
    expect(budget.snapshot()).toMatchObject({ requests: 1_000, retries: 200 });
  });

  it('throws the last error when the budget is spent', async () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 0 });
    const { operation, errors } = flaky(10, 'never');

    await expect(retry(operation, { idempotent: true, budget, sleep: async () => undefined })).rejects.toBe(
      errors[0],
    );
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('really sleeps between attempts with the default sleep', async () => {
    jest.useFakeTimers();
    try {
      const { operation } = flaky(1, 'ok');
      const result = retry(operation, { idempotent: true, baseDelayMs: 1_000, random: () => 0.5 });

      await jest.advanceTimersByTimeAsync(499);
      expect(operation).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);

      await expect(result).resolves.toBe('ok');
      expect(operation).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
