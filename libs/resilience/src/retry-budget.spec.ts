import { RetryBudget } from './retry-budget';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function drain(budget: RetryBudget): number {
  let granted = 0;
  while (budget.tryAcquireRetry()) granted += 1;
  return granted;
}

describe('RetryBudget', () => {
  it('allows retries up to 20% of the requests in the window', () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 0, now: clock().now });
    for (let i = 0; i < 100; i += 1) budget.recordRequest();

    expect(drain(budget)).toBe(20);
    expect(budget.snapshot()).toEqual({ requests: 100, retries: 20, available: 0 });
  });

  it('lets a quiet dependency retry minRetriesPerSecond per second of window', () => {
    const budget = new RetryBudget({ minRetriesPerSecond: 2, windowMs: 10_000, now: clock().now });

    expect(drain(budget)).toBe(20);
  });

  it('adds the floor to the ratio', () => {
    const budget = new RetryBudget({ ratio: 0.1, minRetriesPerSecond: 1, windowMs: 5_000, now: clock().now });
    for (let i = 0; i < 50; i += 1) budget.recordRequest();

    expect(drain(budget)).toBe(5 + 5);
  });

  it('forgets requests and retries once they leave the window', () => {
    const time = clock();
    const budget = new RetryBudget({ minRetriesPerSecond: 0, windowMs: 10_000, now: time.now });
    for (let i = 0; i < 50; i += 1) budget.recordRequest();
    expect(drain(budget)).toBe(10);

    time.advance(5_000);
    for (let i = 0; i < 50; i += 1) budget.recordRequest();
    expect(drain(budget)).toBe(10);
    expect(budget.snapshot()).toMatchObject({ requests: 100, retries: 20 });

    time.advance(5_000);
    expect(budget.snapshot()).toMatchObject({ requests: 50, retries: 10, available: 0 });

    time.advance(5_000);
    expect(budget.snapshot()).toEqual({ requests: 0, retries: 0, available: 0 });
  });

  it('does not lose a retry to floating point noise', () => {
    const budget = new RetryBudget({ ratio: 0.29, minRetriesPerSecond: 0, now: clock().now });
    for (let i = 0; i < 100; i += 1) budget.recordRequest();

    expect(drain(budget)).toBe(29);
  });

  it.each([{ ratio: -0.1 }, { minRetriesPerSecond: -1 }, { windowMs: 5 }, { ratio: Number.NaN }])(
    'rejects %j',
    (options) => {
      expect(() => new RetryBudget(options)).toThrow(RangeError);
    },
  );
});
