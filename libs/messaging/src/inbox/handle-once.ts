import type { MessageEnvelope } from '@shop/contracts';
import type { SqlClient, SqlExecutor } from '@shop/persistence';

/**
 * - applied: the effect ran and committed together with the inbox row;
 * - duplicate: this group already applied this message id (redelivery);
 * - stale: (opt-in) the group already applied this or a later version of the
 *   aggregate, so this older message is recorded as processed and skipped.
 */
export type InboxOutcome = 'applied' | 'duplicate' | 'stale';

export interface HandleOnceOptions {
  /**
   * Skip messages whose aggregateVersion is at or below the highest version
   * this group applied for the aggregate. For handlers that keep the latest
   * state of an aggregate (projections, caches), where an older event
   * arriving late must not overwrite a newer one. Not for handlers that need
   * every event (sums, notifications): they rely on the inbox alone.
   */
  skipStaleVersions?: boolean;
}

type InboxMessage = Pick<MessageEnvelope, 'id' | 'aggregateId' | 'aggregateVersion'>;

/**
 * Runs `effect` and records the message as processed by `groupId` in ONE
 * transaction, so the effect happens exactly once however often the message
 * is delivered. The inbox row is inserted first: a concurrent delivery of the
 * same message (two members during a rebalance) waits on it and then sees a
 * duplicate. If the effect throws, nothing is recorded and the message can
 * be retried.
 */
export async function handleOnce(
  sql: SqlClient,
  groupId: string,
  message: InboxMessage,
  effect: (tx: SqlExecutor) => Promise<void>,
  options: HandleOnceOptions = {},
): Promise<InboxOutcome> {
  return sql.transaction(async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO inbox (message_id, consumer_group) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [message.id, groupId],
    );
    if (claimed.length === 0) return 'duplicate';
    if (options.skipStaleVersions && !(await advanceAggregateVersion(tx, groupId, message))) return 'stale';
    await effect(tx);
    return 'applied';
  });
}

/** Raises the group's last applied version of the aggregate; false if the message is not newer. */
async function advanceAggregateVersion(
  tx: SqlExecutor,
  groupId: string,
  message: InboxMessage,
): Promise<boolean> {
  const advanced = await tx.query(
    `INSERT INTO inbox_aggregate_version (consumer_group, aggregate_id, version) VALUES ($1, $2, $3)
     ON CONFLICT (consumer_group, aggregate_id) DO UPDATE
       SET version = EXCLUDED.version, updated_at = now()
       WHERE inbox_aggregate_version.version < EXCLUDED.version
     RETURNING 1`,
    [groupId, message.aggregateId, message.aggregateVersion],
  );
  return advanced.length > 0;
}

/**
 * Deletes inbox rows older than `olderThanMs`. Deduplication holds only
 * within that window: keep it longer than any redelivery can take (Kafka
 * retention is the safe bound). Aggregate versions are never purged.
 */
export async function purgeInbox(sql: SqlExecutor, olderThanMs: number): Promise<number> {
  const [row] = await sql.query<{ deleted: number }>(
    `WITH deleted AS (
       DELETE FROM inbox WHERE processed_at < now() - make_interval(secs => $1::float8 / 1000) RETURNING 1
     ) SELECT count(*)::int AS deleted FROM deleted`,
    [olderThanMs],
  );
  return row?.deleted ?? 0;
}
