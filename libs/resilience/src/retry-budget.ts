export interface RetryBudgetOptions {
  /** Retries allowed per original request over the window. Default 0.2 (retries add at most ~20% load). */
  ratio?: number;
  /** Retries always allowed per second of window, so a quiet dependency can still be retried. Default 10. */
  minRetriesPerSecond?: number;
  /** How far back requests and retries count. Default 10 s. */
  windowMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export interface RetryBudgetSnapshot {
  requests: number;
  retries: number;
  /** Retries still allowed right now. */
  available: number;
}

interface Slot {
  epoch: number;
  requests: number;
  retries: number;
}

const SLOTS = 10;

/**
 * A shared cap on retries, in the spirit of Finagle's RetryBudget: every
 * original request deposits `ratio` of a token, every retry withdraws one,
 * plus a floor of `minRetriesPerSecond`. Retrying then adds at most about
 * `ratio` extra load to a struggling dependency instead of multiplying it by
 * the number of attempts. Counts live in a sliding window of 10 slots.
 *
 * Share one budget per dependency between all callers (e.g. per upstream at
 * the gateway): that is what makes it a budget.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly reserve: number;
  private readonly slotMs: number;
  private readonly now: () => number;
  private readonly slots: Slot[] = Array.from({ length: SLOTS }, () => ({
    epoch: -1,
    requests: 0,
    retries: 0,
  }));

  constructor(options: RetryBudgetOptions = {}) {
    const { ratio = 0.2, minRetriesPerSecond = 10, windowMs = 10_000, now = Date.now } = options;
    if (!(ratio >= 0)) throw new RangeError(`ratio must be >= 0, got ${ratio}`);
    if (!(minRetriesPerSecond >= 0))
      throw new RangeError(`minRetriesPerSecond must be >= 0, got ${minRetriesPerSecond}`);
    if (!(windowMs >= SLOTS)) throw new RangeError(`windowMs must be >= ${SLOTS}, got ${windowMs}`);
    this.ratio = ratio;
    this.reserve = (minRetriesPerSecond * windowMs) / 1000;
    this.slotMs = windowMs / SLOTS;
    this.now = now;
  }

  /** Call once per original request (not per retry). */
  recordRequest(): void {
    this.currentSlot().requests += 1;
  }

  /** Takes one retry from the budget; false means "do not retry". */
  tryAcquireRetry(): boolean {
    if (this.snapshot().available < 1) return false;
    this.currentSlot().retries += 1;
    return true;
  }

  snapshot(): RetryBudgetSnapshot {
    const oldest = this.epoch() - SLOTS + 1;
    let requests = 0;
    let retries = 0;
    for (const slot of this.slots) {
      if (slot.epoch < oldest) continue;
      requests += slot.requests;
      retries += slot.retries;
    }
    // The epsilon keeps float noise (0.29 * 100 = 28.999...) from costing a whole retry.
    const available = Math.max(0, Math.floor(this.ratio * requests + this.reserve - retries + 1e-9));
    return { requests, retries, available };
  }

  private epoch(): number {
    return Math.floor(this.now() / this.slotMs);
  }

  private currentSlot(): Slot {
    const epoch = this.epoch();
    const slot = this.slots[epoch % SLOTS] as Slot;
    if (slot.epoch !== epoch) Object.assign(slot, { epoch, requests: 0, retries: 0 });
    return slot;
  }
}
