import type { MessageEnvelope } from '@shop/contracts';

/**
 * Kafka header names. The envelope (the value) is the source of truth; these
 * copies let tools and consumers route, filter and trace without parsing it.
 * Trace context (`traceparent`, `tracestate`, `baggage`) sits beside them.
 */
export const MessageHeader = {
  id: 'message-id',
  type: 'message-type',
  version: 'message-version',
  source: 'message-source',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  contentType: 'content-type',
} as const;

/** Headers added to a message sent to a dead-letter topic. */
export const DeadLetterHeader = {
  reason: 'dlq-reason',
  error: 'dlq-error',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

export function envelopeHeaders(envelope: MessageEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [MessageHeader.id]: envelope.id,
    [MessageHeader.type]: envelope.type,
    [MessageHeader.version]: String(envelope.version),
    [MessageHeader.source]: envelope.source,
    [MessageHeader.correlationId]: envelope.correlationId,
    [MessageHeader.contentType]: 'application/json',
  };
  if (envelope.causationId) headers[MessageHeader.causationId] = envelope.causationId;
  return headers;
}
