import { z } from 'zod';
import { uuidv7 } from './uuid-v7';

/**
 * What every event and command on the platform looks like on the wire (the
 * Kafka message value). Trace context is not part of it: it travels in Kafka
 * headers, like HTTP headers, so tracing never changes a message's bytes.
 */
export interface MessageEnvelope<TPayload = unknown, TType extends string = string> {
  /** UUIDv7, unique per message; the inbox deduplicates on it. */
  readonly id: string;
  readonly type: TType;
  /** Schema version of `payload` (1, 2, ...); old versions are upcast on read. */
  readonly version: number;
  /** The service that produced the message, e.g. `order`. */
  readonly source: string;
  /** ISO-8601 timestamp of the fact (event) or request (command). */
  readonly occurredAt: string;
  /** Also the Kafka key: per-aggregate order comes from it. */
  readonly aggregateId: string;
  /** Version of the aggregate after this event (0 when not meaningful, e.g. some commands). */
  readonly aggregateVersion: number;
  /** The id shared by every message of one business flow (the first message's id). */
  readonly correlationId: string;
  /** The id of the message that caused this one; null for a flow's first message. */
  readonly causationId: string | null;
  readonly payload: TPayload;
}

/** Structure check of an envelope read from the wire; the payload is checked per message type. */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  source: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  aggregateId: z.string().min(1),
  aggregateVersion: z.number().int().nonnegative(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  payload: z.unknown(),
});

/** The fields a producer chooses; id, time and correlation default sensibly. */
export interface EnvelopeInput<TPayload = unknown, TType extends string = string> {
  type: TType;
  version: number;
  source: string;
  aggregateId: string;
  aggregateVersion: number;
  payload: TPayload;
  id?: string;
  occurredAt?: string | Date;
  /** Default: the message's own id (it starts a flow). Use `causedBy(parent)` inside a flow. */
  correlationId?: string;
  causationId?: string | null;
}

export function createEnvelope<TPayload, TType extends string>(
  input: EnvelopeInput<TPayload, TType>,
): MessageEnvelope<TPayload, TType> {
  const id = input.id ?? uuidv7();
  const occurredAt = input.occurredAt ?? new Date();
  return {
    id,
    type: input.type,
    version: input.version,
    source: input.source,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    aggregateId: input.aggregateId,
    aggregateVersion: input.aggregateVersion,
    correlationId: input.correlationId ?? id,
    causationId: input.causationId ?? null,
    payload: input.payload,
  };
}

/**
 * Correlation and causation for a message caused by `parent`: spread it into
 * the new message's input, e.g. `Orders.StockReserved.create({ ...causedBy(command), ... })`.
 */
export function causedBy(parent: Pick<MessageEnvelope, 'id' | 'correlationId'>): {
  correlationId: string;
  causationId: string;
} {
  return { correlationId: parent.correlationId, causationId: parent.id };
}
