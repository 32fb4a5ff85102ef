import { createEnvelope, type MessageEnvelope } from '@shop/contracts';
import type { StoredEvent } from './events';

/**
 * The id of the aggregate a stream belongs to: the stream id without its
 * `<streamType>-` prefix ('order-42' of type 'order' -> '42'), or the whole
 * stream id when it has no such prefix.
 */
export function aggregateIdOf(event: Pick<StoredEvent, 'streamId' | 'streamType'>): string {
  const prefix = `${event.streamType}-`;
  return event.streamId.startsWith(prefix) ? event.streamId.slice(prefix.length) : event.streamId;
}

/**
 * The integration message for a stored event, for the outbox: the message id
 * is the event id (so consumers' inboxes deduplicate replays of the same
 * event), the aggregate version is the stream version, and correlation and
 * causation come from the event's metadata.
 */
export function toMessageEnvelope(event: StoredEvent, source: string): MessageEnvelope {
  const { correlationId, causationId } = event.metadata;
  return createEnvelope({
    id: event.eventId,
    type: event.type,
    version: event.schemaVersion,
    source,
    occurredAt: event.occurredAt,
    aggregateId: aggregateIdOf(event),
    aggregateVersion: event.version,
    correlationId: typeof correlationId === 'string' ? correlationId : undefined,
    causationId: typeof causationId === 'string' ? causationId : null,
    payload: event.payload,
  });
}
