import type { SqlClient, SqlExecutor } from '@shop/persistence';
import { APPEND_LOCK_SQL } from './append-lock';
import { ConcurrencyError, DuplicateEventError } from './errors';
import {
  EVENT_COLUMNS,
  prepareEvent,
  snapshotFromRow,
  storedFromPrepared,
  storedFromRow,
  type EventRow,
  type InsertedRow,
  type PreparedEvent,
  type SnapshotRow,
} from './event-rows';
import type { ExpectedVersion, NewEvent, StoredEvent, StreamSnapshot } from './events';
import { requiredVersion, satisfies, streamCategory } from './expected-version';
import { violatedUniqueIndex } from './unique-violation';

export interface AppendOptions {
  /** Stored with each event; readAll can filter on it. Default: the `<type>-` prefix of the stream id. */
  streamType?: string;
  /**
   * Append inside the caller's open transaction instead of a new one. The
   * append lock is then held until the caller commits: append last.
   */
  tx?: SqlExecutor;
  /**
   * Runs in the same transaction right after the events are inserted (e.g.
   * the outbox writer). If it throws, the events are not stored either.
   */
  withinTransaction?: (tx: SqlExecutor, stored: readonly StoredEvent[]) => Promise<void>;
}

export interface AppendResult {
  events: StoredEvent[];
  /** The stream's version after the append: pass it as the next expectedVersion. */
  version: number;
}

export interface ReadOptions {
  /** Read inside the caller's transaction. */
  tx?: SqlExecutor;
}

export interface LoadOptions extends ReadOptions {
  /** First version to return (default 1): a snapshot's version + 1 loads the tail. */
  fromVersion?: number;
}

export interface ReadAllOptions {
  /** The checkpoint: the position of the last event already processed (0 = from the start). */
  afterPosition?: number;
  /** At most this many events (default 500). */
  limit?: number;
  /** Only events of streams of this type. */
  streamType?: string;
}

export interface SaveSnapshotOptions extends ReadOptions {
  /** Shape version of the state (default 1). */
  schemaVersion?: number;
}

const STREAM_VERSION_INDEX = 'events_stream_id_version_key';
const EVENT_ID_INDEX = 'events_event_id_key';

/**
 * One statement: read the stream's head, insert the events after it when the
 * head is what the caller expected ($3 NULL = 'any'), and return the head
 * either way. When two appends read the same head (a stale snapshot, a
 * writer that skipped the lock), the unique (stream_id, version) index
 * rejects the second.
 */
const APPEND_SQL = `
WITH head AS (
  SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1
), inserted AS (
  INSERT INTO events (stream_id, stream_type, version, event_id, type, schema_version, payload, metadata, occurred_at)
  SELECT $1, $2, head.version + e.n, (e.doc->>'eventId')::uuid, e.doc->>'type',
         (e.doc->>'schemaVersion')::int, e.doc->'payload', e.doc->'metadata',
         (e.doc->>'occurredAt')::timestamptz
  FROM head, jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e(doc, n)
  WHERE $3::int IS NULL OR head.version = $3::int
  ORDER BY e.n
  RETURNING position, version, event_id
)
SELECT head.version AS head_version, inserted.position, inserted.version, inserted.event_id
FROM head LEFT JOIN inserted ON true`;

type AppendRow = { head_version: number } & (InsertedRow | { [K in keyof InsertedRow]: null });

/**
 * An event store on Postgres (tables from prisma/event-store.prisma):
 * streams with optimistic concurrency, a global position that readers can
 * follow with a plain `position > checkpoint`, and snapshots.
 */
export class EventStore {
  constructor(private readonly client: SqlClient) {}

  /**
   * Appends `events` to `streamId` if the stream is at `expectedVersion`;
   * otherwise throws ConcurrencyError and stores nothing.
   */
  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    assertStreamId(streamId);
    const required = requiredVersion(expectedVersion);
    const stream = { streamId, streamType: options.streamType ?? streamCategory(streamId) };
    const now = new Date();
    const prepared = events.map((event) => prepareEvent(event, now));
    if (prepared.length === 0) return this.appendNothing(streamId, expectedVersion, options.tx);

    const write = async (tx: SqlExecutor): Promise<AppendResult> => {
      await tx.query(APPEND_LOCK_SQL);
      const rows = await tx.query<AppendRow>(APPEND_SQL, [
        streamId,
        stream.streamType,
        required,
        JSON.stringify(prepared),
      ]);
      const inserted = new Map<string, InsertedRow>();
      for (const row of rows) if (row.event_id !== null) inserted.set(row.event_id, row);
      if (inserted.size === 0) {
        throw new ConcurrencyError(streamId, expectedVersion, Number(rows[0]?.head_version ?? 0));
      }
      const stored = prepared.map((p) => storedFromPrepared(p, inserted.get(p.eventId)!, stream));
      await options.withinTransaction?.(tx, stored);
      return { events: stored, version: stored.at(-1)!.version };
    };

    try {
      return options.tx ? await write(options.tx) : await this.client.transaction(write);
    } catch (err) {
      throw await this.explainFailure(err, streamId, expectedVersion, prepared);
    }
  }

  /** The stream's events in version order, from `fromVersion`; [] for an unknown stream. */
  async load(streamId: string, options: LoadOptions = {}): Promise<StoredEvent[]> {
    const fromVersion = options.fromVersion ?? 1;
    if (!Number.isSafeInteger(fromVersion)) throw new RangeError('fromVersion must be an integer');
    const rows = await (options.tx ?? this.client).query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
      [streamId, fromVersion],
    );
    return rows.map(storedFromRow);
  }

  /** The number of events in the stream (0 for an unknown stream). */
  async streamVersion(streamId: string, options: ReadOptions = {}): Promise<number> {
    const [row] = await (options.tx ?? this.client).query<{ version: number }>(
      'SELECT coalesce(max(version), 0) AS version FROM events WHERE stream_id = $1',
      [streamId],
    );
    return Number(row?.version ?? 0);
  }

  /**
   * Events of all streams after the checkpoint, in position order. Positions
   * become visible in increasing order (see append-lock.ts), so a projection
   * that stores the last position it processed and asks for what comes after
   * sees every committed event exactly once.
   */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const { afterPosition = 0, limit = 500, streamType } = options;
    if (!Number.isSafeInteger(afterPosition) || afterPosition < 0)
      throw new RangeError('afterPosition must be an integer >= 0');
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be an integer >= 1');
    const rows = await this.client.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE position > $1 AND ($3::text IS NULL OR stream_type = $3::text)
       ORDER BY position LIMIT $2`,
      [afterPosition, limit, streamType ?? null],
    );
    return rows.map(storedFromRow);
  }

  /**
   * Keeps `state` as the stream's snapshot at `version`, unless a snapshot of
   * a later version is already kept. Returns whether it was written.
   */
  async saveSnapshot(
    streamId: string,
    version: number,
    state: unknown,
    options: SaveSnapshotOptions = {},
  ): Promise<boolean> {
    assertStreamId(streamId);
    if (!Number.isSafeInteger(version) || version < 1)
      throw new RangeError('a snapshot version must be an integer >= 1');
    const rows = await (options.tx ?? this.client).query(
      `INSERT INTO snapshots (stream_id, version, schema_version, state, taken_at)
       VALUES ($1, $2, $3, $4::jsonb, now())
       ON CONFLICT (stream_id) DO UPDATE
         SET version = excluded.version, schema_version = excluded.schema_version,
             state = excluded.state, taken_at = excluded.taken_at
         WHERE snapshots.version <= excluded.version
       RETURNING stream_id`,
      [streamId, version, options.schemaVersion ?? 1, JSON.stringify(state)],
    );
    return rows.length === 1;
  }

  /** The stream's latest snapshot, or null. */
  async loadLatestSnapshot<State = unknown>(
    streamId: string,
    options: ReadOptions = {},
  ): Promise<StreamSnapshot<State> | null> {
    const [row] = await (options.tx ?? this.client).query<SnapshotRow>(
      'SELECT stream_id, version, schema_version, state, taken_at FROM snapshots WHERE stream_id = $1',
      [streamId],
    );
    return row ? (snapshotFromRow(row) as StreamSnapshot<State>) : null;
  }

  private async appendNothing(
    streamId: string,
    expectedVersion: ExpectedVersion,
    tx: SqlExecutor | undefined,
  ): Promise<AppendResult> {
    const version = await this.streamVersion(streamId, { tx });
    if (!satisfies(expectedVersion, version)) throw new ConcurrencyError(streamId, expectedVersion, version);
    return { events: [], version };
  }

  private async explainFailure(
    err: unknown,
    streamId: string,
    expectedVersion: ExpectedVersion,
    prepared: readonly PreparedEvent[],
  ): Promise<unknown> {
    const index = violatedUniqueIndex(err, [STREAM_VERSION_INDEX, EVENT_ID_INDEX]);
    if (index === STREAM_VERSION_INDEX) {
      // The failed transaction is unusable: ask the pool what the stream holds now.
      return new ConcurrencyError(streamId, expectedVersion, await this.streamVersion(streamId));
    }
    if (index === EVENT_ID_INDEX) {
      return new DuplicateEventError(
        streamId,
        prepared.map((p) => p.eventId),
      );
    }
    return err;
  }
}

function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new TypeError('streamId must be a non-empty string');
}
