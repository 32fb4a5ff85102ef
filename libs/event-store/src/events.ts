/**
 * What the event store reads and writes. Payloads, metadata and snapshot
 * states are stored as jsonb, so they must be plain JSON values.
 */

/** Trace and causality headers carried with every event. */
export interface EventMetadata {
  /** The id shared by every message of one business flow (e.g. one order). */
  correlationId?: string;
  /** The id of the message (command or event) that caused this event. */
  causationId?: string;
  /** W3C trace context, so one order stays one trace across services. */
  traceparent?: string;
  tracestate?: string;
  [header: string]: unknown;
}

/** An event to append. */
export interface NewEvent<Payload = unknown> {
  type: string;
  payload: Payload;
  /** Version of the payload's schema (upcasters key on type + schemaVersion). Default 1. */
  schemaVersion?: number;
  metadata?: EventMetadata;
  /** UUID; a UUIDv7 is generated when absent. Unique across the store. */
  eventId?: string;
  /** Default: the time of the append. */
  occurredAt?: Date;
}

/** An event as stored, with its place in its stream and in the whole store. */
export interface StoredEvent<Payload = unknown> {
  /** Global position: increases in commit order across all streams of the store. */
  position: number;
  streamId: string;
  streamType: string;
  /** 1 for a stream's first event, +1 per event, no gaps. */
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  payload: Payload;
  metadata: EventMetadata;
  occurredAt: Date;
}

/**
 * The version a stream must be at for an append to succeed:
 * - a number: exactly that many events (0 = the stream does not exist yet);
 * - 'no-stream': the stream must not exist (same check as 0);
 * - 'any': no check, the events go after whatever the stream holds.
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface StreamSnapshot<State = unknown> {
  streamId: string;
  /** The stream version whose state this is (events 1..version applied). */
  version: number;
  /** Shape version of `state`: readers ignore snapshots of a shape they do not know. */
  schemaVersion: number;
  state: State;
  takenAt: Date;
}
