import { Bulkhead, BulkheadRejectedError } from './bulkhead';
import { deferred, metricValue, rejectionOf, type Deferred } from './test-support';

let sequence = 0;
const bulkheadNamed = (options: ConstructorParameters<typeof Bulkhead>[1]) =>
  new Bulkhead(`upstream-${++sequence}`, options);

/** Work items the test finishes by hand, tracking how many run at once. */
function manualWork() {
  const running = new Set<Deferred<string>>();
  const started: number[] = [];
  let peak = 0;
  const task = (id: number) => async () => {
    const work = deferred<string>();
    running.add(work);
    started.push(id);
    peak = Math.max(peak, running.size);
    try {
      return await work.promise;
    } finally {
      running.delete(work);
    }
  };
  const finishOne = async (outcome: 'resolve' | 'reject' = 'resolve') => {
    const [first] = running;
    if (!first) throw new Error('nothing running');
    if (outcome === 'resolve') first.resolve('done');
    else first.reject(new Error('failed'));
    await flush();
  };
  return { task, finishOne, started, peak: () => peak, running };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Bulkhead', () => {
  it('never runs more than maxConcurrent operations at once', async () => {
    const bulkhead = bulkheadNamed({ maxConcurrent: 3, maxQueue: 20 });
    const work = manualWork();

    const results = Array.from({ length: 20 }, (_, id) => bulkhead.run(work.task(id)));
    await flush();
    expect(work.running.size).toBe(3);
    expect(bulkhead.active).toBe(3);
    expect(bulkhead.queued).toBe(17);

    while (work.running.size > 0) await work.finishOne();

    await expect(Promise.all(results)).resolves.toHaveLength(20);
    expect(work.peak()).toBe(3);
    expect(bulkhead.snapshot()).toMatchObject({ active: 0, queued: 0 });
  });

  it('runs queued work in arrival order as slots free up', async () => {
    const bulkhead = bulkheadNamed({ maxConcurrent: 1, maxQueue: 5 });
    const work = manualWork();
    const outcomes = [0, 1, 2, 3].map((id) =>
      bulkhead.run(work.task(id)).then(
        (value) => value,
        (error: Error) => error.message,
      ),
    );
    await flush();
    expect(work.started).toEqual([0]);

    await work.finishOne();
    expect(work.started).toEqual([0, 1]);
    await work.finishOne('reject');
    await work.finishOne();
    await work.finishOne();

    expect(work.started).toEqual([0, 1, 2, 3]);
    expect(await Promise.all(outcomes)).toEqual(['done', 'failed', 'done', 'done']);
    expect(bulkhead.active).toBe(0);
  });

  it('rejects at once, without running it, when slots and queue are full', async () => {
    const bulkhead = bulkheadNamed({ maxConcurrent: 2, maxQueue: 1, retryAfterSeconds: 3 });
    const work = manualWork();
    const accepted = [0, 1, 2].map((id) => bulkhead.run(work.task(id)));
    await flush();
    const overflow = jest.fn(async () => 'never');

    const error = await rejectionOf(bulkhead.run(overflow));

    expect(overflow).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect(error).toMatchObject({
      bulkhead: bulkhead.name,
      reason: 'full',
      statusCode: 503,
      retryAfterSeconds: 3,
      limits: { maxConcurrent: 2, maxQueue: 1 },
    });
    expect(await metricValue('bulkhead_rejections_total', { bulkhead: bulkhead.name, reason: 'full' })).toBe(
      1,
    );

    while (work.running.size > 0) await work.finishOne();
    await Promise.all(accepted);
  });

  it('with no queue, rejects as soon as every slot is busy', async () => {
    const bulkhead = bulkheadNamed({ maxConcurrent: 1, maxQueue: 0 });
    const work = manualWork();
    const first = bulkhead.run(work.task(0));

    await expect(bulkhead.run(work.task(1))).rejects.toBeInstanceOf(BulkheadRejectedError);

    await work.finishOne();
    await first;
    await expect(bulkhead.run(async () => 'slot free again')).resolves.toBe('slot free again');
  });

  it('frees the slot when an operation throws synchronously', async () => {
    const bulkhead = bulkheadNamed({ maxConcurrent: 1, maxQueue: 0 });

    await expect(
      bulkhead.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(bulkhead.active).toBe(0);
  });

  it('gives up a queued operation after queueTimeoutMs', async () => {
    jest.useFakeTimers();
    try {
      const bulkhead = bulkheadNamed({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 500 });
      const busy = deferred<void>();
      const running = bulkhead.run(() => busy.promise);
      const waiting = jest.fn(async () => 'never');
      const outcome = rejectionOf(bulkhead.run(waiting));

      await jest.advanceTimersByTimeAsync(499);
      expect(bulkhead.queued).toBe(1);
      await jest.advanceTimersByTimeAsync(1);

      expect(await outcome).toMatchObject({ name: 'BulkheadRejectedError', reason: 'queue-timeout' });
      expect(bulkhead.queued).toBe(0);
      busy.resolve();
      await running;
      expect(waiting).not.toHaveBeenCalled();
      expect(bulkhead.active).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('leaves the queue when the caller aborts', async () => {
    const bulkhead = bulkheadNamed({ maxConcurrent: 1, maxQueue: 2 });
    const busy = deferred<void>();
    const running = bulkhead.run(() => busy.promise);
    const caller = new AbortController();
    const waiting = jest.fn(async () => 'never');
    const outcome = rejectionOf(bulkhead.run(waiting, { signal: caller.signal }));
    expect(bulkhead.queued).toBe(1);

    caller.abort(new Error('client gone'));

    expect(await outcome).toMatchObject({ message: 'client gone' });
    expect(bulkhead.queued).toBe(0);
    busy.resolve();
    await running;
    expect(waiting).not.toHaveBeenCalled();
  });

  it('exports active and queued gauges labelled with its name', async () => {
    const bulkhead = bulkheadNamed({ maxConcurrent: 2, maxQueue: 5 });
    const work = manualWork();
    const results = [0, 1, 2].map((id) => bulkhead.run(work.task(id)));
    await flush();

    expect(await metricValue('bulkhead_active', { bulkhead: bulkhead.name })).toBe(2);
    expect(await metricValue('bulkhead_queued', { bulkhead: bulkhead.name })).toBe(1);

    while (work.running.size > 0) await work.finishOne();
    await Promise.all(results);
    expect(await metricValue('bulkhead_active', { bulkhead: bulkhead.name })).toBe(0);
    expect(await metricValue('bulkhead_queued', { bulkhead: bulkhead.name })).toBe(0);
  });

  it.each([
    { maxConcurrent: 0, maxQueue: 1 },
    { maxConcurrent: 1.5, maxQueue: 1 },
    { maxConcurrent: 1, maxQueue: -1 },
    { maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 0 },
  ])('rejects %j', (options) => {
    expect(() => bulkheadNamed(options)).toThrow(RangeError);
  });
});
