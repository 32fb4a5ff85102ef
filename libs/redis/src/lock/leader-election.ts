import type Redis from 'ioredis';
import { withJitter } from '../jitter';
import { LeaseKeeper } from './lease-keeper';
import type { Lease } from './lease';
import { RedisLock, type RedisLockOptions } from './redis-lock';

export interface LeaderTerm {
  /** Fencing token of this term: pass it with every write the leader makes. */
  readonly fencingToken: number;
  /** Aborts when this term ends (leadership lost or election stopped). */
  readonly signal: AbortSignal;
}

export interface LeaderElectionOptions extends RedisLockOptions {
  /** Lock name; contenders with the same name elect one leader. */
  name: string;
  /** Leadership TTL: how long a crashed leader blocks a successor. Default 10 s. */
  ttlMs?: number;
  /** How often the leader renews. Default ttlMs / 3. */
  renewEveryMs?: number;
  /** How often a follower tries to take over (jittered ±20%). Default ttlMs / 3. */
  retryEveryMs?: number;
  /** This contender became leader: start the singleton work. */
  onElected?: (term: LeaderTerm) => void | Promise<void>;
  /** Leadership ended (lost, or stop()): stop the work. stop() awaits it before releasing the lock. */
  onRevoked?: (reason: unknown) => void | Promise<void>;
  /** Redis errors while campaigning and errors thrown by the callbacks. Default console.warn. */
  onError?: (error: unknown) => void;
}

/**
 * Leader election for singleton workers (e.g. the saga timeout scheduler):
 * every instance runs one; the one holding the lock `name` is leader and
 * renews it; the others retry. If the leader dies, its lease expires and a
 * follower takes over within ttlMs + retryEveryMs. A leader that cannot
 * renew (Redis unreachable) revokes itself when its lease runs out locally,
 * which is before Redis can grant the lock to anyone else.
 */
export class LeaderElection {
  private readonly lock: RedisLock;
  private readonly ttlMs: number;
  private readonly retryEveryMs: number;
  private keeper: LeaseKeeper | undefined;
  private running = false;
  private campaignTimer: NodeJS.Timeout | undefined;
  private pending: Promise<void> | undefined;

  constructor(
    client: Redis,
    private readonly options: LeaderElectionOptions,
  ) {
    this.lock = new RedisLock(client, options);
    this.ttlMs = options.ttlMs ?? 10_000;
    this.retryEveryMs = options.retryEveryMs ?? this.ttlMs / 3;
  }

  get isLeader(): boolean {
    const keeper = this.keeper;
    return !!keeper && !keeper.signal.aborted && Date.now() < keeper.lease.validUntil;
  }

  /** The current term while leader. */
  get term(): LeaderTerm | undefined {
    const keeper = this.keeper;
    if (!keeper || !this.isLeader) return undefined;
    return { fencingToken: keeper.lease.fencingToken, signal: keeper.signal };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleCampaign(0);
  }

  /** Stops campaigning; if leader, ends the term (awaiting onRevoked) and releases the lock. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.campaignTimer);
    await this.pending;
    const keeper = this.keeper;
    if (!keeper) return;
    await this.endTerm(keeper, new Error(`leader election '${this.options.name}' stopped`));
    await this.lock.release(keeper.lease).catch((err) => this.report(err));
  }

  private scheduleCampaign(delayMs: number): void {
    this.campaignTimer = setTimeout(() => this.track(this.campaign()), delayMs);
  }

  private async campaign(): Promise<void> {
    try {
      const lease = await this.lock.tryAcquire(this.options.name, this.ttlMs);
      if (lease && this.running) return this.becomeLeader(lease);
      if (lease) await this.lock.release(lease); // stopped while acquiring
    } catch (err) {
      this.report(err);
    }
    if (this.running) this.scheduleCampaign(withJitter(this.retryEveryMs, 0.2));
  }

  private becomeLeader(lease: Lease): void {
    const keeper: LeaseKeeper = new LeaseKeeper(this.lock, lease, {
      renewEveryMs: this.options.renewEveryMs,
      onLost: (reason) => this.track(this.afterLoss(keeper, reason)),
    });
    this.keeper = keeper.start();
    void this.notify(() =>
      this.options.onElected?.({ fencingToken: lease.fencingToken, signal: keeper.signal }),
    );
  }

  private async afterLoss(keeper: LeaseKeeper, reason: unknown): Promise<void> {
    await this.endTerm(keeper, reason);
    // Usually a no-op; deletes the lock if a renewal got through after the lease was given up locally.
    await this.lock.release(keeper.lease).catch(() => false);
    if (this.running) this.scheduleCampaign(withJitter(this.retryEveryMs, 0.2));
  }

  private async endTerm(keeper: LeaseKeeper, reason: unknown): Promise<void> {
    if (this.keeper !== keeper) return;
    this.keeper = undefined;
    await keeper.stop(reason);
    await this.notify(() => this.options.onRevoked?.(reason));
  }

  /** Remembers the latest campaign or loss handling, so stop() can wait for it. */
  private track(work: Promise<void>): void {
    const pending = work.finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
  }

  private async notify(callback: () => void | Promise<void>): Promise<void> {
    try {
      await callback();
    } catch (err) {
      this.report(err);
    }
  }

  private report(error: unknown): void {
    if (this.options.onError) this.options.onError(error);
    else console.warn(`[leader-election ${this.options.name}]`, error);
  }
}
