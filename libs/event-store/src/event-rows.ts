import type { EventMetadata, NewEvent, StoredEvent, StreamSnapshot } from './events';
import { uuidv7 } from '@shop/contracts';

/** An event ready to insert: every default filled in. */
export interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  payload: unknown;
  metadata: EventMetadata;
  occurredAt: Date;
}

export function prepareEvent(event: NewEvent, now: Date): PreparedEvent {
  if (typeof event.type !== 'string' || event.type.length === 0)
    throw new TypeError('every event needs a non-empty type');
  const schemaVersion = event.schemaVersion ?? 1;
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1)
    throw new RangeError(`schemaVersion must be an integer >= 1 (got ${schemaVersion})`);
  return {
    // Postgres returns uuids in lower case; keep the caller's id comparable with what is read back.
    eventId: (event.eventId ?? uuidv7(now.getTime())).toLowerCase(),
    type: event.type,
    schemaVersion,
    payload: event.payload ?? null,
    metadata: event.metadata ?? {},
    occurredAt: event.occurredAt ?? now,
  };
}

/** What the append statement returns per inserted event. */
export interface InsertedRow {
  position: string | number | bigint;
  version: number;
  event_id: string;
}

export function storedFromPrepared(
  prepared: PreparedEvent,
  inserted: InsertedRow,
  stream: { streamId: string; streamType: string },
): StoredEvent {
  return {
    position: toPosition(inserted.position),
    streamId: stream.streamId,
    streamType: stream.streamType,
    version: Number(inserted.version),
    eventId: prepared.eventId,
    type: prepared.type,
    schemaVersion: prepared.schemaVersion,
    payload: prepared.payload,
    metadata: prepared.metadata,
    // The column keeps milliseconds, like Date: what is returned equals what a load reads.
    occurredAt: prepared.occurredAt,
  };
}

export interface EventRow {
  position: string | number | bigint;
  stream_id: string;
  stream_type: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  payload: unknown;
  metadata: EventMetadata;
  occurred_at: Date | string;
}

export const EVENT_COLUMNS =
  'position, stream_id, stream_type, version, event_id, type, schema_version, payload, metadata, occurred_at';

export function storedFromRow(row: EventRow): StoredEvent {
  return {
    position: toPosition(row.position),
    streamId: row.stream_id,
    streamType: row.stream_type,
    version: Number(row.version),
    eventId: row.event_id,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    payload: row.payload,
    metadata: row.metadata,
    occurredAt: toDate(row.occurred_at),
  };
}

export interface SnapshotRow {
  stream_id: string;
  version: number;
  schema_version: number;
  state: unknown;
  taken_at: Date | string;
}

export function snapshotFromRow(row: SnapshotRow): StreamSnapshot {
  return {
    streamId: row.stream_id,
    version: Number(row.version),
    schemaVersion: Number(row.schema_version),
    state: row.state,
    takenAt: toDate(row.taken_at),
  };
}

/** bigint columns arrive as strings (pg) or bigint (Prisma); positions stay far below 2^53. */
export function toPosition(value: string | number | bigint): number {
  const position = Number(value);
  if (!Number.isSafeInteger(position))
    throw new RangeError(`position ${String(value)} is not a safe integer`);
  return position;
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
