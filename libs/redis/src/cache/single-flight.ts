/**
 * Collapses concurrent calls per key: while a call for a key is in flight,
 * further calls for that key get the same promise (its value or its error)
 * instead of starting the work again. Once it settles, the next call starts
 * fresh work.
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>;
    // Started on a later microtask, so even a synchronous throw settles after the entry is set.
    const started = Promise.resolve()
      .then(work)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
