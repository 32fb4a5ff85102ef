/** Raised when an operation does not settle within its time limit. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ETIMEDOUT';

  constructor(readonly timeoutMs: number) {
    super(`Operation timed out after ${timeoutMs} ms`);
  }
}

export interface WithTimeoutOptions {
  /** The caller's own cancellation (client gone, outer deadline): aborts the operation too. */
  signal?: AbortSignal;
}

export function assertPositiveMs(name: string, ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0)
    throw new RangeError(`${name} must be a positive number of ms, got ${ms}`);
}

/**
 * Runs `operation` with an AbortSignal and rejects with a TimeoutError after
 * `ms`. On timeout the signal is aborted (its `reason` is the TimeoutError),
 * so an operation that passes the signal on (fetch, undici, pg query
 * cancellation) actually stops working instead of running on in the
 * background. If `options.signal` aborts first, the operation is aborted and
 * the promise rejects with that signal's reason.
 */
export function withTimeout<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  ms: number,
  options: WithTimeoutOptions = {},
): Promise<T> {
  assertPositiveMs('timeout', ms);
  const parent = options.signal;
  if (parent?.aborted) return Promise.reject(parent.reason);

  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const abortWith = (reason: unknown) => {
      cleanUp();
      controller.abort(reason);
      reject(reason);
    };
    const onParentAbort = () => abortWith(parent?.reason);
    const timer = setTimeout(() => abortWith(new TimeoutError(ms)), ms);
    const cleanUp = () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    };
    parent?.addEventListener('abort', onParentAbort, { once: true });

    let pending: Promise<T>;
    try {
      pending = Promise.resolve(operation(controller.signal));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}
