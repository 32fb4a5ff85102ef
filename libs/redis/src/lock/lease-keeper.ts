import { LockLostError, type Lease } from './lease';

export interface LeaseExtender {
  extend(lease: Lease): Promise<boolean>;
}

export interface LeaseKeeperOptions {
  /** Extend the lease this often (default a third of its TTL); false: never, only watch its expiry. */
  renewEveryMs?: number | false;
  /** Called once if the lease is lost while kept (taken over, or expired before a renewal got through). */
  onLost?: (reason: LockLostError) => void;
}

/**
 * Keeps a lease alive while its holder works, and says when it is gone:
 * `signal` aborts when the lease is lost (reason: LockLostError) or when the
 * keeper is stopped. A renewal refused by Redis means another holder has the
 * lock: lost at once. A renewal that fails (Redis unreachable) is retried
 * until the lease's local validity runs out, which then also counts as lost,
 * so the holder stops before anyone else can have been granted the lock.
 */
export class LeaseKeeper {
  private readonly ended = new AbortController();
  private renewTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  private lastRenewError: unknown;

  constructor(
    private readonly lock: LeaseExtender,
    readonly lease: Lease,
    private readonly options: LeaseKeeperOptions = {},
  ) {}

  get signal(): AbortSignal {
    return this.ended.signal;
  }

  start(): this {
    this.armExpiry();
    this.scheduleRenewal();
    return this;
  }

  /** Stops renewing (waiting for a renewal in flight) and aborts `signal` with `reason`. */
  async stop(reason: unknown = new Error(`lease of '${this.lease.name}' ended`)): Promise<void> {
    this.end(reason);
    await this.renewing;
  }

  private scheduleRenewal(): void {
    const every = this.options.renewEveryMs ?? this.lease.ttlMs / 3;
    if (every === false || this.signal.aborted) return;
    this.renewTimer = setTimeout(() => {
      this.renewing = this.renew().finally(() => {
        this.renewing = undefined;
        this.scheduleRenewal();
      });
    }, every);
  }

  private async renew(): Promise<void> {
    try {
      const stillOwned = await this.lock.extend(this.lease);
      if (this.signal.aborted) return;
      if (stillOwned) this.armExpiry();
      else this.lose('another holder has it, or it expired');
    } catch (err) {
      this.lastRenewError = err;
    }
  }

  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => {
        const cause =
          this.lastRenewError instanceof Error ? ` (last renewal: ${this.lastRenewError.message})` : '';
        this.lose(`expired before it could be renewed${cause}`);
      },
      Math.max(0, this.lease.validUntil - Date.now()),
    );
  }

  private lose(why: string): void {
    if (this.signal.aborted) return;
    const reason = new LockLostError(this.lease.name, why);
    this.end(reason);
    this.options.onLost?.(reason);
  }

  private end(reason: unknown): void {
    clearTimeout(this.renewTimer);
    clearTimeout(this.expiryTimer);
    if (!this.signal.aborted) this.ended.abort(reason);
  }
}
