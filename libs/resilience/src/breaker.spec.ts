import type CircuitBreaker from 'opossum';
import { breakerSnapshot, createBreaker, type BreakerOptions } from './breaker';
import { isBreakerRejection } from './breaker-errors';
import { TimeoutError } from './timeout';
import { httpError, metricValue, recordingLogger, rejectionOf } from './test-support';

let sequence = 0;
const breakers: CircuitBreaker<never[], unknown>[] = [];

/** A breaker with a fresh name (metric label) per test, shut down after it. */
function breakerFor<TArgs extends unknown[], TResult>(
  action: (signal: AbortSignal, ...args: TArgs) => Promise<TResult>,
  options: Partial<BreakerOptions<TArgs, TResult>> = {},
) {
  const name = `dependency-${++sequence}`;
  const { logger, entries } = recordingLogger();
  const breaker = createBreaker(name, action, { timeoutMs: 1_000, logger, ...options } as BreakerOptions<
    TArgs,
    TResult
  >);
  breakers.push(breaker as unknown as CircuitBreaker<never[], unknown>);
  return { breaker, name, logEntries: entries };
}

const failing = async (): Promise<string> => {
  throw new Error('dependency down');
};

async function fireTimes<TResult>(breaker: CircuitBreaker<[], TResult>, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await breaker.fire().catch(() => undefined);
}

async function openBreaker(breaker: CircuitBreaker<[], unknown>): Promise<void> {
  await fireTimes(breaker, 10);
  expect(breaker.opened).toBe(true);
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  for (const breaker of breakers.splice(0)) breaker.shutdown();
  jest.useRealTimers();
});

describe('createBreaker: opening', () => {
  it('stays closed while the window holds fewer calls than volumeThreshold, even if all failed', async () => {
    const { breaker, name } = breakerFor(failing);

    await fireTimes(breaker, 9);

    expect(breaker.closed).toBe(true);
    expect(await metricValue('breaker_state', { breaker: name })).toBe(0);
    expect(await metricValue('breaker_failures_total', { breaker: name })).toBe(9);
  });

  it('opens once volumeThreshold calls are in the window and more than 50% of them failed', async () => {
    const { breaker, name, logEntries } = breakerFor(failing);

    await fireTimes(breaker, 10);

    expect(breaker.opened).toBe(true);
    expect(await metricValue('breaker_state', { breaker: name })).toBe(2);
    expect(logEntries).toEqual([
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ breaker: name, state: 'open' }),
      }),
    ]);
  });

  it('stays closed at exactly 50% failures (the threshold must be exceeded)', async () => {
    let call = 0;
    const { breaker } = breakerFor(async () => {
      call += 1;
      if (call % 2 === 0) throw new Error('every other call fails');
      return 'ok';
    });

    await fireTimes(breaker, 20);

    expect(breaker.closed).toBe(true);
    expect(breakerSnapshot(breaker).window).toMatchObject({ fires: 20, failures: 10, successes: 10 });
  });

  it('honours a custom volumeThreshold and errorThresholdPercentage', async () => {
    const { breaker } = breakerFor(failing, { volumeThreshold: 3, errorThresholdPercentage: 90 });

    await fireTimes(breaker, 2);
    expect(breaker.closed).toBe(true);
    await fireTimes(breaker, 1);
    expect(breaker.opened).toBe(true);
  });
});

describe('createBreaker: open, half-open, closed', () => {
  it('rejects fast while open: the action is not called and the rejection is counted', async () => {
    const action = jest.fn(failing);
    const { breaker, name } = breakerFor(action);
    await openBreaker(breaker);
    action.mockClear();

    const error = await rejectionOf(breaker.fire());

    expect(action).not.toHaveBeenCalled();
    expect(isBreakerRejection(error)).toBe(true);
    expect(error).toMatchObject({ code: 'EOPENBREAKER' });
    expect(await metricValue('breaker_rejections_total', { breaker: name })).toBe(1);
  });

  it('half-opens after resetTimeout, then closes when the probe call succeeds', async () => {
    let healthy = false;
    const { breaker, name, logEntries } = breakerFor(async () => {
      if (!healthy) throw new Error('dependency down');
      return 'ok';
    });
    await openBreaker(breaker);

    await jest.advanceTimersByTimeAsync(10_000 - 1);
    expect(breaker.opened).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect(breaker.halfOpen).toBe(true);
    expect(await metricValue('breaker_state', { breaker: name })).toBe(1);

    healthy = true;
    await expect(breaker.fire()).resolves.toBe('ok');

    expect(breaker.closed).toBe(true);
    expect(await metricValue('breaker_state', { breaker: name })).toBe(0);
    expect(logEntries.map((entry) => entry.fields.state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('re-opens when the half-open probe fails', async () => {
    const { breaker, name } = breakerFor(failing);
    await openBreaker(breaker);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(breaker.halfOpen).toBe(true);

    await breaker.fire().catch(() => undefined);

    expect(breaker.opened).toBe(true);
    expect(await metricValue('breaker_state', { breaker: name })).toBe(2);
  });
});

describe('createBreaker: client errors', () => {
  it('never opens on 4xx errors, passes them through and counts them apart', async () => {
    const notFound = httpError(404);
    const fallback = jest.fn(async () => 'fallback');
    const { breaker, name } = breakerFor(
      async () => {
        throw notFound;
      },
      { fallback },
    );

    for (let i = 0; i < 30; i += 1) expect(await rejectionOf(breaker.fire())).toBe(notFound);

    expect(breaker.closed).toBe(true);
    expect(fallback).not.toHaveBeenCalled();
    expect(await metricValue('breaker_client_errors_total', { breaker: name })).toBe(30);
    expect(await metricValue('breaker_failures_total', { breaker: name })).toBeUndefined();
    expect(await metricValue('breaker_successes_total', { breaker: name })).toBeUndefined();
  });

  it('uses the isClientError predicate when given', async () => {
    const invalid = Object.assign(new Error('invalid sku'), { code: 'VALIDATION' });
    const { breaker } = breakerFor(
      async () => {
        throw invalid;
      },
      { isClientError: (error) => (error as { code?: string }).code === 'VALIDATION' },
    );

    await fireTimes(breaker, 20);

    expect(breaker.closed).toBe(true);
  });

  it('still opens on 5xx and 429 errors', async () => {
    const { breaker: on503 } = breakerFor(async () => {
      throw httpError(503);
    });
    const { breaker: on429 } = breakerFor(async () => {
      throw httpError(429);
    });

    await fireTimes(on503, 10);
    await fireTimes(on429, 10);

    expect(on503.opened).toBe(true);
    expect(on429.opened).toBe(true);
  });
});

describe('createBreaker: timeout', () => {
  it('rejects with TimeoutError after timeoutMs and aborts the call signal', async () => {
    let seenSignal: AbortSignal | undefined;
    const { breaker, name } = breakerFor(
      (signal) => {
        seenSignal = signal;
        return new Promise<string>(() => undefined);
      },
      { timeoutMs: 200 },
    );

    const outcome = rejectionOf(breaker.fire());
    await jest.advanceTimersByTimeAsync(199);
    expect(seenSignal?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(seenSignal?.aborted).toBe(true);
    expect(seenSignal?.reason).toBe(error);
    expect(breakerSnapshot(breaker).window).toMatchObject({ timeouts: 1, failures: 1 });
    expect(await metricValue('breaker_timeouts_total', { breaker: name })).toBe(1);
    expect(await metricValue('breaker_failures_total', { breaker: name })).toBe(1);
  });

  it('gives each call its own signal: one timeout does not abort the others', async () => {
    const signals: AbortSignal[] = [];
    const { breaker } = breakerFor(
      (signal, delayMs: number) => {
        signals.push(signal);
        return new Promise<number>((resolve) => setTimeout(() => resolve(delayMs), delayMs));
      },
      { timeoutMs: 100 },
    );

    const slow = rejectionOf(breaker.fire(500));
    const fast = breaker.fire(50);
    await jest.advanceTimersByTimeAsync(100);

    await expect(fast).resolves.toBe(50);
    expect(await slow).toBeInstanceOf(TimeoutError);
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it('opens after enough timeouts', async () => {
    const { breaker } = breakerFor(() => new Promise<string>(() => undefined), { timeoutMs: 50 });

    const calls = Array.from({ length: 10 }, () => breaker.fire().catch(() => undefined));
    await jest.advanceTimersByTimeAsync(50);
    await Promise.all(calls);

    expect(breaker.opened).toBe(true);
  });

  it('derives the timeout from the caller deadline', async () => {
    const { breaker } = breakerFor(() => new Promise<string>(() => undefined), {
      timeoutMs: undefined,
      deadlineMs: 1_000,
    });

    expect(breakerSnapshot(breaker).settings).toMatchObject({ timeoutMs: 800, deadlineMs: 1_000 });
    const outcome = rejectionOf(breaker.fire());
    await jest.advanceTimersByTimeAsync(800);
    expect(await outcome).toMatchObject({ name: 'TimeoutError', timeoutMs: 800 });
  });
});

describe('createBreaker: fallback', () => {
  it('answers failures with the fallback, which receives the error and the arguments', async () => {
    const failure = new Error('dependency down');
    const fallback = jest.fn(async (_error: unknown, sku: string) => `cached ${sku}`);
    const { breaker, name } = breakerFor(
      async (_signal, _sku: string): Promise<string> => {
        throw failure;
      },
      { fallback },
    );

    await expect(breaker.fire('sku-1')).resolves.toBe('cached sku-1');

    expect(fallback).toHaveBeenCalledWith(failure, 'sku-1');
    expect(await metricValue('breaker_fallbacks_total', { breaker: name })).toBe(1);
  });

  it('answers with the fallback while open, without calling the action', async () => {
    const action = jest.fn(failing);
    const { breaker } = breakerFor(action, { fallback: async () => 'degraded' });
    await fireTimes(breaker, 10);
    expect(breaker.opened).toBe(true);
    action.mockClear();

    await expect(breaker.fire()).resolves.toBe('degraded');
    expect(action).not.toHaveBeenCalled();
  });
});

describe('breaker metrics and snapshot', () => {
  it('counts successes per breaker label', async () => {
    const { breaker, name } = breakerFor(async (_signal, n: number) => n * 2);

    await expect(breaker.fire(21)).resolves.toBe(42);
    await breaker.fire(1);

    expect(await metricValue('breaker_successes_total', { breaker: name })).toBe(2);
  });

  it('gives a JSON-friendly snapshot', async () => {
    const { breaker, name } = breakerFor(failing, { timeoutMs: 300, deadlineMs: 500 });
    await fireTimes(breaker, 2);

    const snapshot = JSON.parse(JSON.stringify(breakerSnapshot(breaker)));

    expect(snapshot).toEqual({
      name,
      state: 'closed',
      settings: {
        timeoutMs: 300,
        deadlineMs: 500,
        volumeThreshold: 10,
        errorThresholdPercentage: 50,
        resetTimeoutMs: 10_000,
        rollingWindowMs: 10_000,
      },
      window: { fires: 2, successes: 0, failures: 2, timeouts: 0, rejects: 0, fallbacks: 0 },
    });
  });

  it('forgets failures once they leave the rolling window', async () => {
    const { breaker } = breakerFor(failing);
    await fireTimes(breaker, 9);

    await jest.advanceTimersByTimeAsync(10_000);
    await fireTimes(breaker, 9);

    expect(breaker.closed).toBe(true);
    expect(breakerSnapshot(breaker).window.failures).toBe(9);
  });

  it('drops the state series on shutdown', async () => {
    const { breaker, name } = breakerFor(failing);
    expect(await metricValue('breaker_state', { breaker: name })).toBe(0);

    breaker.shutdown();

    expect(await metricValue('breaker_state', { breaker: name })).toBeUndefined();
    expect(breakerSnapshot(breaker).state).toBe('shutdown');
  });

  it('warns when two live breakers share a name, and keeps the series until both are gone', async () => {
    const { breaker: first, name } = breakerFor(failing);
    const { logger, entries } = recordingLogger();
    const second = createBreaker(name, failing, { timeoutMs: 100, logger });
    expect(entries).toEqual([expect.objectContaining({ level: 'warn', fields: { breaker: name, live: 1 } })]);

    first.shutdown();
    expect(await metricValue('breaker_state', { breaker: name })).toBe(0);
    second.shutdown();
    expect(await metricValue('breaker_state', { breaker: name })).toBeUndefined();
  });
});
