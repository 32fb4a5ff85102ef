import type { SqlClient } from '@shop/persistence';
import { LeaderElection, type LeaderTerm } from '@shop/redis';
import type { Logger } from '@shop/telemetry';
import type { OrderRedis } from '../infrastructure/order-redis';
import type { SagaState, StepTimedOut } from '../domain';
import type { SagaRunner } from './saga-runner';
import { dueTimers } from './saga-store';

export interface SagaTimerSchedulerOptions {
  pollIntervalMs: number;
  leaderTtlMs: number;
  /** Due timers handled per poll. */
  batchSize?: number;
}

/**
 * Fires the sagas' armed timers. Every instance runs one, ONE of them (the
 * leader elected in Redis) polls `timer_at <= now` and feeds StepTimedOut
 * through the SagaRunner, in a transaction per saga. Timers live in the
 * saga rows, so they survive the instance that armed them; if two
 * schedulers ever overlapped (a paused ex-leader), the saga row lock and the
 * timer id (a fired timer is replaced or cleared) make the second firing a
 * no-op, so no fencing token is needed.
 */
export class SagaTimerScheduler {
  private readonly election: LeaderElection;
  private loop: Promise<void> | undefined;
  private stopLoop: AbortController | undefined;

  constructor(
    redis: OrderRedis['client'],
    private readonly sql: SqlClient,
    private readonly runner: SagaRunner,
    private readonly logger: Logger,
    private readonly options: SagaTimerSchedulerOptions,
  ) {
    this.election = new LeaderElection(redis, {
      name: 'order-saga-timers',
      ttlMs: options.leaderTtlMs,
      onElected: (term) => this.begin(term),
      onRevoked: () => this.end(),
      onError: (err) => this.logger.warn({ err }, 'saga timer scheduler election error'),
    });
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  start(): void {
    this.election.start();
  }

  async stop(): Promise<void> {
    await this.election.stop();
    await this.end();
  }

  /** Fires every timer due at `now` (one poll); returns how many sagas changed. */
  async fireDue(now = new Date()): Promise<number> {
    let fired = 0;
    for (const orderId of await dueTimers(this.sql, now, this.options.batchSize ?? 100)) {
      const run = await this.sql.transaction((tx) =>
        this.runner.run(tx, orderId, ({ state }) => timedOut(state, now), { skipLocked: true, now }),
      );
      if (run && run.step.state !== run.before.state) fired++;
    }
    return fired;
  }

  private begin(term: LeaderTerm): void {
    this.logger.info({ fencingToken: term.fencingToken }, 'saga timer scheduler elected');
    const stop = new AbortController();
    this.stopLoop = stop;
    const signal = AbortSignal.any([stop.signal, term.signal]);
    this.loop = this.poll(signal);
  }

  private async end(): Promise<void> {
    this.stopLoop?.abort();
    await this.loop;
    this.loop = undefined;
  }

  private async poll(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.fireDue();
      } catch (err) {
        this.logger.error({ err }, 'saga timer poll failed');
      }
      await sleep(this.options.pollIntervalMs, signal);
    }
  }
}

/** The input for the saga's armed timer if it is due (the saga checks the id and time again). */
function timedOut(state: SagaState, now: Date): StepTimedOut | null {
  const timer = state.timer;
  if (!timer || Date.parse(timer.at) > now.getTime()) return null;
  return { type: 'StepTimedOut', timerId: timer.id, step: timer.step };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
