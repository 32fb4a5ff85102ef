import { SingleFlight } from './single-flight';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs the work once for concurrent calls on one key and shares its result', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    let calls = 0;
    const work = () => (calls++, gate.promise);
    const results = Promise.all(Array.from({ length: 100 }, () => flight.run('k', work)));
    gate.resolve('v');
    expect(await results).toEqual(Array(100).fill('v'));
    expect(calls).toBe(1);
  });

  it('keeps keys apart and starts fresh work after a call settled', async () => {
    const flight = new SingleFlight();
    let calls = 0;
    const work = async () => ++calls;
    expect(await Promise.all([flight.run('a', work), flight.run('b', work)])).toEqual([1, 2]);
    expect(flight.has('a')).toBe(false);
    expect(await flight.run('a', work)).toBe(3);
  });

  it('shares a failure with every waiter, then forgets it', async () => {
    const flight = new SingleFlight();
    const failing = () => {
      throw new Error('db down'); // even a synchronous throw
    };
    const waiters = [flight.run('k', failing), flight.run('k', failing)];
    for (const w of waiters) await expect(w).rejects.toThrow('db down');
    expect(await flight.run('k', async () => 'recovered')).toBe('recovered');
  });
});
