import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { Partitioners, type Consumer, type IHeaders } from 'kafkajs';
import { startInMemoryTelemetry } from './in-memory-telemetry';
import {
  extractTraceContext,
  injectTraceHeaders,
  kafkaMessageAttributes,
  withConsumerSpan,
  withProducerSpan,
} from './kafka-trace-context';

/**
 * One order, one trace, across a real Kafka topic: the request writes an
 * outbox row with its trace headers, a relay publishes it later from outside
 * the request, a consumer group member handles it. Spans are kept in memory.
 */
describe('trace context across a Kafka topic on the dev broker', () => {
  const telemetry = startInMemoryTelemetry('kafka-trace-int');
  let env: TestEnvironment;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    env = await createTestEnvironment('telemetry-kafka', { kafka: true });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await env.dispose();
    await telemetry.handle.shutdown();
  });

  it('makes the consumer span a child of the producer span, in the trace of the request that wrote the outbox row', async () => {
    const topic = await env.kafka.topic('order-events', 3);
    const kafka = env.kafka.client();

    // 1. Inside the request: the outbox row gets the request's trace headers.
    const request = trace.getTracer('spec').startSpan('POST /orders', { kind: SpanKind.SERVER });
    const outboxRow = context.with(trace.setSpan(ROOT_CONTEXT, request), () => ({
      aggregateId: 'order-1',
      payload: '{"type":"OrderPlaced"}',
      headers: JSON.stringify(injectTraceHeaders({ 'content-type': 'application/json' })),
    }));
    request.end();

    // 2. Later, outside any request: the relay publishes the row in its original trace.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const stored = JSON.parse(outboxRow.headers) as Record<string, string>;
    await withProducerSpan(
      `send ${topic}`,
      {
        parent: extractTraceContext(stored),
        attributes: kafkaMessageAttributes({ topic, operation: 'send' }),
      },
      (traceHeaders) =>
        producer.send({
          topic,
          acks: -1,
          messages: [
            { key: outboxRow.aggregateId, value: outboxRow.payload, headers: { ...stored, ...traceHeaders } },
          ],
        }),
    );
    await producer.disconnect();

    // 3. A consumer group member handles it and writes a follow-up outbox row.
    const delivered: { headers: IHeaders; followUp: Record<string, string> }[] = [];
    const groupId = env.kafka.groupId('inventory');
    consumer = kafka.consumer({
      groupId,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const attributes = kafkaMessageAttributes({
          topic,
          operation: 'process',
          partition,
          offset: message.offset,
          key: message.key,
          consumerGroup: groupId,
        });
        const followUp = await withConsumerSpan(`process ${topic}`, message.headers, attributes, async () =>
          injectTraceHeaders({}),
        );
        delivered.push({ headers: message.headers ?? {}, followUp });
      },
    });
    await waitFor(() => delivered.length === 1, { describe: () => `${delivered.length} delivered` });

    const spans = await telemetry.spans();
    const producerSpan = spans.find((s) => s.kind === SpanKind.PRODUCER)!;
    const consumerSpan = spans.find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(Buffer.isBuffer(delivered[0]!.headers.traceparent)).toBe(true); // as kafkajs delivers them

    const traceId = request.spanContext().traceId;
    expect(producerSpan.spanContext().traceId).toBe(traceId);
    expect(producerSpan.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consumerSpan.spanContext().traceId).toBe(traceId);
    expect(consumerSpan.parentSpanContext?.spanId).toBe(producerSpan.spanContext().spanId);
    expect(consumerSpan.attributes).toMatchObject({
      'messaging.destination.name': topic,
      'messaging.kafka.message.key': 'order-1',
      'messaging.consumer.group.name': groupId,
    });
    // The next hop (the handler's own outbox row) continues from the consumer span.
    expect(delivered[0]!.followUp.traceparent).toBe(`00-${traceId}-${consumerSpan.spanContext().spanId}-01`);
  });
});
