import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LeaderElection } from '@shop/redis';
import type { InventoryConfig } from '../config';
import { decideExpiry } from '../domain';
import { InventoryDatabase } from '../infrastructure/inventory-database';
import { InventoryRedis } from '../infrastructure/inventory-redis';
import { INVENTORY_CONFIG, INVENTORY_LOGGER, type Logger } from '../shared/inventory-tokens';
import { ReservationLedger } from '../shared/reservation-ledger';
import { expiredReservationOrders } from '../shared/reservation-sql';

export const SWEEPER_LEADER_LOCK = 'inventory-reservation-sweeper';

/**
 * Releases reservations past their deadline (StockReleased tells observers).
 * Every instance runs one, but only the elected leader sweeps (LeaderElection
 * of @shop/redis): one instance at a time scans, so instances do not fight
 * over the same rows. Correctness does not rest on the election: each
 * expiry re-reads its reservation under a row lock and only a RESERVED one
 * past its deadline is released, so a paused ex-leader sweeping late, or a
 * commit racing the sweep, can never release twice or release sold goods.
 */
@Injectable()
export class ReservationSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly election: LeaderElection;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;

  constructor(
    @Inject(ReservationLedger) private readonly ledger: ReservationLedger,
    @Inject(InventoryDatabase) private readonly database: InventoryDatabase,
    @Inject(InventoryRedis) redis: InventoryRedis,
    @Inject(INVENTORY_CONFIG) private readonly config: InventoryConfig,
    @Inject(INVENTORY_LOGGER) private readonly logger: Logger,
  ) {
    this.election = new LeaderElection(redis.client, {
      name: SWEEPER_LEADER_LOCK,
      ttlMs: config.SWEEPER_LEADER_TTL_MS,
      onElected: ({ fencingToken }) => {
        this.logger.info({ fencingToken }, 'reservation sweeper elected');
        this.schedule(0);
      },
      onRevoked: async () => {
        clearTimeout(this.timer);
        this.timer = undefined;
        await this.sweeping;
      },
      onError: (err) => this.logger.warn({ err }, 'reservation sweeper election'),
    });
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  onApplicationBootstrap(): void {
    this.election.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.election.stop();
  }

  /** One round: releases every reservation expired at `now`, oldest first; returns how many. */
  async sweep(now: Date = new Date()): Promise<number> {
    let released = 0;
    for (;;) {
      const orders = await expiredReservationOrders(
        this.database.sql,
        now,
        this.config.RESERVATION_SWEEP_BATCH,
      );
      let failed = 0;
      for (const orderId of orders) {
        try {
          const decision = await this.ledger.apply({
            name: 'expire',
            orderId,
            decide: (existing) => decideExpiry(existing, now),
          });
          if (decision.next) released += 1;
        } catch (err) {
          failed += 1; // left RESERVED: the next round tries again
          this.logger.error({ err, orderId }, 'expiring a reservation failed');
        }
      }
      const more = orders.length === this.config.RESERVATION_SWEEP_BATCH && failed === 0;
      if (!more || !this.election.isLeader) return released;
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      if (!this.election.isLeader) return;
      const round = this.sweep()
        .then((released) => {
          if (released > 0) this.logger.info({ released }, 'expired reservations released');
        })
        .catch((err: unknown) => this.logger.error({ err }, 'reservation sweep failed'));
      this.sweeping = round;
      void round.finally(() => {
        if (this.election.isLeader) this.schedule(this.config.RESERVATION_SWEEP_INTERVAL_MS);
      });
    }, delayMs);
  }
}
