import { backoffDelay, sleep, type BackoffPolicy } from './backoff';

const policy: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: false };

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('with jitter stays within the upper half of the exponential delay', () => {
    const jittered = { ...policy, jitter: true };
    expect(backoffDelay(3, jittered, () => 0)).toBe(200);
    expect(backoffDelay(3, jittered, () => 0.999999)).toBe(400);
    expect(backoffDelay(9, jittered, () => 0.5)).toBe(750);
  });

  it('treats attempt 0 like the first retry', () => {
    expect(backoffDelay(0, policy)).toBe(100);
  });
});

describe('sleep', () => {
  it('ends at once when its signal aborts', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBeUndefined();
    await expect(sleep(60_000, controller.signal)).resolves.toBeUndefined(); // already aborted
  });
});
