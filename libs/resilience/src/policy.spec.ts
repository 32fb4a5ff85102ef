import { breakerSnapshot, createBreaker } from './breaker';
import { Bulkhead, BulkheadRejectedError } from './bulkhead';
import { withPolicy } from './policy';
import { deferred, httpError, recordingLogger } from './test-support';

const noSleep = async () => undefined;
const quietLogger = recordingLogger().logger;

describe('withPolicy (retry -> bulkhead -> breaker -> timeout)', () => {
  it('retries each attempt through the breaker, which counts every attempt', async () => {
    let calls = 0;
    const breaker = createBreaker(
      'policy-flaky',
      async (_signal, sku: string) => {
        calls += 1;
        if (calls <= 2) throw httpError(503);
        return `stock of ${sku}`;
      },
      { timeoutMs: 1_000, logger: quietLogger },
    );
    const getStock = withPolicy(breaker, {
      bulkhead: new Bulkhead('policy-flaky', { maxConcurrent: 2, maxQueue: 2 }),
      retry: { idempotent: true, maxAttempts: 3, sleep: noSleep },
    });

    await expect(getStock('sku-1')).resolves.toBe('stock of sku-1');

    expect(breakerSnapshot(breaker).window).toMatchObject({ fires: 3, failures: 2, successes: 1 });
    breaker.shutdown();
  });

  it('runs a non-idempotent call once', async () => {
    const action = jest.fn(async (): Promise<string> => {
      throw httpError(503);
    });
    const breaker = createBreaker('policy-charge', action, { timeoutMs: 1_000, logger: quietLogger });
    const charge = withPolicy(breaker, { retry: { idempotent: false, maxAttempts: 3, sleep: noSleep } });

    await expect(charge()).rejects.toMatchObject({ status: 503 });
    expect(action).toHaveBeenCalledTimes(1);
    breaker.shutdown();
  });

  it('turns local overload into BulkheadRejectedError without counting it against the dependency', async () => {
    const release = deferred<string>();
    const breaker = createBreaker('policy-busy', () => release.promise, {
      timeoutMs: 1_000,
      logger: quietLogger,
    });
    const call = withPolicy(breaker, {
      bulkhead: new Bulkhead('policy-busy', { maxConcurrent: 1, maxQueue: 0 }),
      retry: { idempotent: true, maxAttempts: 3, sleep: noSleep },
    });
    const first = call();

    await expect(call()).rejects.toBeInstanceOf(BulkheadRejectedError);

    expect(breakerSnapshot(breaker).window).toMatchObject({ fires: 1, failures: 0 });
    release.resolve('done');
    await expect(first).resolves.toBe('done');
    breaker.shutdown();
  });

  it('is a plain breaker call without options', async () => {
    const breaker = createBreaker('policy-plain', async (_signal, n: number) => n + 1, {
      timeoutMs: 1_000,
      logger: quietLogger,
    });

    await expect(withPolicy(breaker)(1)).resolves.toBe(2);
    breaker.shutdown();
  });
});
