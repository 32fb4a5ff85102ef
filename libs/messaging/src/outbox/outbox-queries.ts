import type { SqlExecutor } from '@shop/persistence';

/** A claimed outbox row, ready to publish (value = the envelope JSON). */
export interface ClaimedOutboxRow {
  sequence: string;
  id: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

export interface OutboxBacklog {
  /** Rows not yet published. */
  count: number;
  /** Age of the oldest of them, 0 when there are none. */
  oldestAgeSeconds: number;
}

/** First half of the advisory-lock key of every outbox key lock (the second half is hashtext(key)). */
export const OUTBOX_KEY_LOCK_SPACE = 0x0b0c;

/**
 * Claims up to `limit` unpublished rows for this transaction, keeping each
 * key's rows in order across concurrent relays:
 *
 * 1. the oldest `limit` unpublished rows name the candidate keys;
 * 2. for each key, `pg_try_advisory_xact_lock` (a SKIP LOCKED at key level):
 *    keys another relay holds are skipped whole, never partly;
 * 3. of the keys won, the unpublished rows in sequence order, locked FOR
 *    UPDATE (rows a relay committed meanwhile drop out on Postgres' re-check).
 *
 * Skipping locked ROWS would not do: relay A holding key K's rows 1-5 while
 * relay B skips them and publishes K's row 6 is exactly the reordering to
 * avoid. With key locks held until commit, while one relay publishes K
 * nobody else touches K, and the next claimer of K starts after its commit
 * (published rows are gone from its view). Hash collisions only make two
 * keys share a lock.
 */
export async function claimOutboxRows(tx: SqlExecutor, limit: number): Promise<ClaimedOutboxRow[]> {
  return tx.query<ClaimedOutboxRow>(
    `WITH head AS (
       SELECT key, sequence FROM outbox WHERE published_at IS NULL ORDER BY sequence LIMIT $1
     ), owned AS MATERIALIZED (
       SELECT key FROM (SELECT key, min(sequence) AS first FROM head GROUP BY key) candidates
       WHERE pg_try_advisory_xact_lock($2, hashtext(key))
     )
     SELECT o.sequence::text AS sequence, o.id::text AS id, o.topic, o.key, o.headers, o.envelope::text AS value
     FROM outbox o
     WHERE o.published_at IS NULL AND o.key IN (SELECT key FROM owned)
     ORDER BY o.sequence
     LIMIT $1
     FOR UPDATE OF o`,
    [limit, OUTBOX_KEY_LOCK_SPACE],
  );
}

export async function markOutboxRowsPublished(tx: SqlExecutor, sequences: readonly string[]): Promise<void> {
  await tx.query(
    `UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL
     WHERE sequence = ANY($1::bigint[])`,
    [sequences],
  );
}

export async function recordOutboxPublishFailure(
  tx: SqlExecutor,
  sequences: readonly string[],
  error: string,
): Promise<void> {
  await tx.query(
    `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE sequence = ANY($1::bigint[])`,
    [sequences, error.slice(0, 2000)],
  );
}

export async function readOutboxBacklog(sql: SqlExecutor): Promise<OutboxBacklog> {
  const [row] = await sql.query<{ count: number; age: number }>(
    `SELECT count(*)::float8 AS count,
            COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
     FROM outbox WHERE published_at IS NULL`,
  );
  return { count: row?.count ?? 0, oldestAgeSeconds: row?.age ?? 0 };
}

/** Deletes up to `limit` rows published more than `olderThanMs` ago; returns how many. */
export async function deletePublishedOutboxRows(
  sql: SqlExecutor,
  olderThanMs: number,
  limit = 5000,
): Promise<number> {
  const [row] = await sql.query<{ deleted: number }>(
    `WITH doomed AS (
       SELECT sequence FROM outbox
       WHERE published_at < now() - make_interval(secs => $1::float8 / 1000)
       ORDER BY published_at LIMIT $2
     ), deleted AS (
       DELETE FROM outbox o USING doomed d WHERE o.sequence = d.sequence RETURNING 1
     )
     SELECT count(*)::int AS deleted FROM deleted`,
    [olderThanMs, limit],
  );
  return row?.deleted ?? 0;
}
