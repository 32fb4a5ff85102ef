import type { MessageEnvelope } from '@shop/contracts';
import { extractTraceContext, kafkaMessageAttributes, withBatchProducerSpans } from '@shop/telemetry';
import type { OutgoingRecord, RecordProducer } from '../ports';
import { MessageHeader } from './headers';

/** The record of a validated envelope: keyed by aggregate id, the envelope as JSON value. */
export function envelopeRecord(
  topic: string,
  envelope: MessageEnvelope,
  headers: Record<string, string>,
): OutgoingRecord {
  return { topic, key: envelope.aggregateId, value: JSON.stringify(envelope), headers };
}

/**
 * Sends records in one send, each in its own PRODUCER span that continues
 * the trace in its headers (for outbox rows: the request that wrote them),
 * so the consumer's span hangs under the publish and one order stays one trace.
 */
export async function sendTraced(
  producer: RecordProducer,
  records: readonly OutgoingRecord[],
): Promise<void> {
  const spans = records.map((record) => ({
    name: `${record.topic} publish`,
    parent: extractTraceContext(record.headers),
    attributes: {
      ...kafkaMessageAttributes({ topic: record.topic, operation: 'send', key: record.key }),
      'messaging.message.id': record.headers[MessageHeader.id] ?? '',
    },
  }));
  await withBatchProducerSpans(spans, (traceHeaders) =>
    producer.send(
      records.map((record, i) => ({ ...record, headers: { ...record.headers, ...traceHeaders[i] } })),
    ),
  );
}
