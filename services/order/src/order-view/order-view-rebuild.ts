import { ApiError } from '@shop/contracts';
import { aggregateIdOf, type EventStore, type StoredEvent } from '@shop/event-store';
import { prismaSqlClient, type PrismaTransactionalClient, type SqlExecutor } from '@shop/persistence';
import { ORDER_STREAM_TYPE } from '../shared/order-stream';
import { lockTableExclusively, tryLockRebuild } from './order-view-locks';
import type { OrderViewCache } from './order-view-cache';
import { foldOrderView, type OrderView } from './order-view-projection';
import { findOrderViews, ORDER_VIEW_COLUMNS, ORDER_VIEWS_TABLE, saveOrderViews } from './order-view-table';
import { versionedFromStored } from './order-view-updater';

const STAGING_TABLE = 'order_views_rebuild';

export interface OrderViewRebuildOptions {
  /** Longest the rebuild transaction may run (Prisma rolls it back after). */
  timeoutMs: number;
  /** Events read from the store per page. */
  batchSize: number;
  log?: (message: string, err?: unknown) => void;
}

export interface RebuildReport {
  /** Order events replayed. */
  events: number;
  /** Rows of the new view. */
  orders: number;
  /** Global position of the last event replayed (0: none). */
  lastPosition: number;
  /** False when Redis could not be cleared (entries then expire with their TTL). */
  cacheCleared: boolean;
}

interface Progress {
  position: number;
  events: number;
}

/**
 * Rebuilds `order_views` from the event store with the live projection's
 * fold (readAll by global position), in ONE transaction:
 *
 * 1. try the rebuild lock (a second rebuild gets 409 instead of waiting);
 * 2. replay every order event into a temporary staging table (same columns
 *    and constraints, dropped at commit), page by page. The live table is
 *    untouched: queries and the live projection go on;
 * 3. take the view's table lock exclusively: the live projection waits from
 *    here (its transactions hold the lock shared), then replay what was
 *    appended during step 2;
 * 4. swap: DELETE the live rows and INSERT the staging rows. Readers keep
 *    seeing the old rows (MVCC) until the commit, then the new ones at once:
 *    no empty view, no blocked reads;
 * 5. commit, then clear the cache.
 *
 * Messages the live projection takes after the swap are compared with the
 * rebuilt versions as usual (older: ignored, next: applied, ahead: refold).
 * Chosen over truncate + replay (TRUNCATE blocks every reader for the whole
 * replay) and over a table rename (DDL on a table Prisma's migrations own,
 * and an exclusive lock all the same). Cost: the transaction stays open for
 * the replay (vacuum waits for it) and the copy is O(orders).
 */
export class OrderViewRebuild {
  private readonly sql;

  constructor(
    prisma: PrismaTransactionalClient,
    private readonly store: EventStore,
    private readonly cache: OrderViewCache,
    private readonly options: OrderViewRebuildOptions,
  ) {
    this.sql = prismaSqlClient(prisma, { timeout: options.timeoutMs, maxWait: 10_000 });
  }

  async rebuild(): Promise<RebuildReport> {
    const report = await this.sql.transaction(async (tx) => {
      if (!(await tryLockRebuild(tx)))
        throw new ApiError('CONFLICT', 'An order view rebuild is already running');
      await tx.query(
        `CREATE TEMPORARY TABLE ${STAGING_TABLE} (LIKE ${ORDER_VIEWS_TABLE} INCLUDING ALL) ON COMMIT DROP`,
      );
      const progress: Progress = { position: 0, events: 0 };
      await this.replay(tx, progress);
      await lockTableExclusively(tx);
      await this.replay(tx, progress);
      await tx.query(`DELETE FROM ${ORDER_VIEWS_TABLE}`);
      await tx.query(
        `INSERT INTO ${ORDER_VIEWS_TABLE} (${ORDER_VIEW_COLUMNS}) SELECT ${ORDER_VIEW_COLUMNS} FROM ${STAGING_TABLE}`,
      );
      const [counted] = await tx.query<{ orders: number }>(
        `SELECT count(*)::int AS orders FROM ${STAGING_TABLE}`,
      );
      return { events: progress.events, orders: counted?.orders ?? 0, lastPosition: progress.position };
    });
    return { ...report, cacheCleared: await this.clearCache() };
  }

  /** Folds the events after `progress.position` into the staging table, a page at a time. */
  private async replay(tx: SqlExecutor, progress: Progress): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({
        afterPosition: progress.position,
        limit: this.options.batchSize,
        streamType: ORDER_STREAM_TYPE,
      });
      if (page.length === 0) return;
      const byOrder = Map.groupBy(page, (event: StoredEvent) => aggregateIdOf(event));
      const staged = await findOrderViews(tx, [...byOrder.keys()], STAGING_TABLE);
      const views = [...byOrder].map(
        ([orderId, events]) =>
          foldOrderView(events.map(versionedFromStored), staged.get(orderId) ?? null) as OrderView,
      );
      await saveOrderViews(tx, views, STAGING_TABLE);
      progress.position = page.at(-1)!.position;
      progress.events += page.length;
    }
  }

  private async clearCache(): Promise<boolean> {
    try {
      await this.cache.clear();
      return true;
    } catch (err) {
      this.options.log?.('order view rebuilt, but the cache could not be cleared', err);
      return false;
    }
  }
}
