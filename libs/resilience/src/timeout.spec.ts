import { deferred, rejectionOf } from './test-support';
import { TimeoutError, withTimeout } from './timeout';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('withTimeout', () => {
  it('resolves with the result of an operation that settles in time', async () => {
    const work = deferred<string>();
    const result = withTimeout(() => work.promise, 100);

    await jest.advanceTimersByTimeAsync(99);
    work.resolve('done');

    await expect(result).resolves.toBe('done');
  });

  it('passes the rejection of the operation through', async () => {
    const failure = new Error('boom');
    await expect(withTimeout(() => Promise.reject(failure), 100)).rejects.toBe(failure);
    await expect(
      withTimeout(() => {
        throw failure;
      }, 100),
    ).rejects.toBe(failure);
  });

  it('rejects with a TimeoutError after ms and aborts the signal with it', async () => {
    let seen: AbortSignal | undefined;
    const outcome = rejectionOf(
      withTimeout((signal) => {
        seen = signal;
        return new Promise(() => undefined);
      }, 100),
    );

    await jest.advanceTimersByTimeAsync(99);
    expect(seen?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT', timeoutMs: 100 });
    expect(seen?.reason).toBe(error);
  });

  it('ignores an operation that settles after the timeout', async () => {
    const work = deferred<string>();
    const outcome = rejectionOf(withTimeout(() => work.promise, 10));
    await jest.advanceTimersByTimeAsync(10);
    work.resolve('too late');

    expect(await outcome).toBeInstanceOf(TimeoutError);
  });

  it('aborts the operation when the caller signal aborts first', async () => {
    const caller = new AbortController();
    const gone = new Error('client disconnected');
    let seen: AbortSignal | undefined;
    const outcome = rejectionOf(
      withTimeout(
        (signal) => {
          seen = signal;
          return new Promise(() => undefined);
        },
        1_000,
        { signal: caller.signal },
      ),
    );

    caller.abort(gone);

    expect(await outcome).toBe(gone);
    expect(seen?.reason).toBe(gone);
  });

  it('does not start the operation when the caller signal is already aborted', async () => {
    const operation = jest.fn(async () => 'never');
    await expect(withTimeout(operation, 100, { signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
    expect(operation).not.toHaveBeenCalled();
  });

  it('refuses a non-positive time limit', () => {
    expect(() => withTimeout(async () => 1, 0)).toThrow(RangeError);
  });
});
