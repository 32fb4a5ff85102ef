import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { startInMemoryTelemetry } from './in-memory-telemetry';
import {
  extractTraceContext,
  injectTraceHeaders,
  kafkaMessageAttributes,
  withBatchProducerSpans,
  withConsumerSpan,
  withProducerSpan,
  type KafkaHeaders,
} from './kafka-trace-context';

const telemetry = startInMemoryTelemetry('kafka-trace-context-spec');
const tracer = trace.getTracer('spec');

/** Headers as kafkajs hands them to a consumer: Buffer values. */
function asDelivered(headers: Record<string, string>): KafkaHeaders {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
}

async function spanNamed(name: string) {
  const spans = await telemetry.spans();
  const span = spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span '${name}' among ${spans.map((s) => s.name)}`);
  return span;
}

beforeEach(() => telemetry.reset());
afterAll(() => telemetry.handle.shutdown());

describe('injectTraceHeaders', () => {
  it('writes the active span as a W3C traceparent', () => {
    const span = tracer.startSpan('request');
    const headers = context.with(trace.setSpan(context.active(), span), () =>
      injectTraceHeaders({ keep: 'me' }),
    );
    span.end();
    const { traceId, spanId } = span.spanContext();
    expect(headers).toEqual({ keep: 'me', traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('writes nothing outside a span', () => {
    expect(injectTraceHeaders({})).toEqual({});
  });

  it('carries baggage along with the trace context', () => {
    const span = tracer.startSpan('request');
    const ctx = propagation.setBaggage(
      trace.setSpan(ROOT_CONTEXT, span),
      propagation.createBaggage({ tenant: { value: 'acme' } }),
    );
    const headers = injectTraceHeaders({}, ctx);
    span.end();
    expect(headers.baggage).toBe('tenant=acme');
    expect(propagation.getBaggage(extractTraceContext(asDelivered(headers)))?.getEntry('tenant')?.value).toBe(
      'acme',
    );
  });
});

describe('withConsumerSpan', () => {
  it('makes the consumer span a child of the producing span, from Buffer headers', async () => {
    const producing = tracer.startSpan('produce');
    const headers = injectTraceHeaders({}, trace.setSpan(ROOT_CONTEXT, producing));
    producing.end();

    const seenInside = await withConsumerSpan('process orders', asDelivered(headers), { 'x.attr': 1 }, () =>
      trace.getActiveSpan()?.spanContext(),
    );

    const consumer = await spanNamed('process orders');
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producing.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producing.spanContext().spanId);
    expect(consumer.parentSpanContext?.isRemote).toBe(true);
    expect(consumer.attributes['x.attr']).toBe(1);
    expect(seenInside?.spanId).toBe(consumer.spanContext().spanId);
  });

  it('starts a new trace for a message without trace headers, ignoring unrelated active spans', async () => {
    const ambient = tracer.startSpan('consumer loop');
    await context.with(trace.setSpan(ROOT_CONTEXT, ambient), () =>
      withConsumerSpan('process untraced', { other: Buffer.from('x') }, {}, () => undefined),
    );
    ambient.end();
    const consumer = await spanNamed('process untraced');
    expect(consumer.parentSpanContext).toBeUndefined();
    expect(consumer.spanContext().traceId).not.toBe(ambient.spanContext().traceId);
  });

  it('nests under an active span of the same trace (the kafkajs instrumentation process span)', async () => {
    const producing = tracer.startSpan('produce');
    const headers = asDelivered(injectTraceHeaders({}, trace.setSpan(ROOT_CONTEXT, producing)));
    producing.end();
    const instrumentationSpan = tracer.startSpan('process topic', {}, extractTraceContext(headers));
    await context.with(trace.setSpan(ROOT_CONTEXT, instrumentationSpan), () =>
      withConsumerSpan('handle', headers, {}, () => undefined),
    );
    instrumentationSpan.end();
    expect((await spanNamed('handle')).parentSpanContext?.spanId).toBe(
      instrumentationSpan.spanContext().spanId,
    );
  });

  it('records a failure on the span and rethrows it', async () => {
    await expect(
      withConsumerSpan('process failing', {}, {}, async () => {
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    const consumer = await spanNamed('process failing');
    expect(consumer.status).toEqual({ code: SpanStatusCode.ERROR, message: 'payment declined' });
    expect(consumer.events.map((e) => e.name)).toEqual(['exception']);
    expect(consumer.events[0]?.attributes?.['exception.message']).toBe('payment declined');
    expect(consumer.ended).toBe(true);
  });
});

describe('withProducerSpan', () => {
  it('publishes in the trace of an earlier request (outbox relay), handing out its own headers', async () => {
    // The request writes the outbox row with its trace headers...
    const request = tracer.startSpan('POST /orders');
    const rowHeaders = context.with(trace.setSpan(ROOT_CONTEXT, request), () => injectTraceHeaders({}));
    request.end();

    // ...the relay publishes it later, outside the request.
    const sent = await withProducerSpan(
      'send order.events',
      {
        parent: extractTraceContext(rowHeaders),
        attributes: kafkaMessageAttributes({ topic: 'order.events', operation: 'send' }),
      },
      (traceHeaders) => traceHeaders,
    );
    await withConsumerSpan('process order.events', asDelivered(sent), {}, () => undefined);

    const producer = await spanNamed('send order.events');
    const consumer = await spanNamed('process order.events');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(producer.attributes['messaging.destination.name']).toBe('order.events');
    expect(producer.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(new Set([request, producer, consumer].map((s) => s.spanContext().traceId)).size).toBe(1);
  });
});

describe('withBatchProducerSpans', () => {
  /** Outbox rows written by two different requests, each with its trace headers. */
  function rowsOfTwoRequests() {
    return ['POST /orders', 'POST /refunds'].map((name) => {
      const request = tracer.startSpan(name);
      const headers = injectTraceHeaders({}, trace.setSpan(ROOT_CONTEXT, request));
      request.end();
      return { request, headers };
    });
  }
  const messageSpans = (rows: ReturnType<typeof rowsOfTwoRequests>) =>
    rows.map((row, i) => ({
      name: `send batch-${i}`,
      parent: extractTraceContext(row.headers),
      attributes: kafkaMessageAttributes({ topic: 'order.events', operation: 'send', key: `order-${i}` }),
    }));
  const traceparentOf = (span: { spanContext(): { traceId: string; spanId: string } }) =>
    `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

  it('gives each message of one send its own span, in the trace of its own request', async () => {
    const rows = rowsOfTwoRequests();
    let endedDuringSend = -1;
    const sent = await withBatchProducerSpans(messageSpans(rows), async (traceHeaders) => {
      endedDuringSend = (await telemetry.spans()).filter((s) => s.name.startsWith('send batch')).length;
      return traceHeaders;
    });

    expect(endedDuringSend).toBe(0); // the spans cover the whole send
    expect(rows[0]!.request.spanContext().traceId).not.toBe(rows[1]!.request.spanContext().traceId);
    for (const [i, row] of rows.entries()) {
      const producer = await spanNamed(`send batch-${i}`);
      expect(producer.kind).toBe(SpanKind.PRODUCER);
      expect(producer.parentSpanContext?.spanId).toBe(row.request.spanContext().spanId);
      expect(producer.spanContext().traceId).toBe(row.request.spanContext().traceId);
      expect(producer.attributes['messaging.kafka.message.key']).toBe(`order-${i}`);
      expect(sent[i]).toEqual({ traceparent: traceparentOf(producer) });
    }
  });

  it('keeps the kafkajs instrumentation from overwriting each message trace with the active one', async () => {
    // What the instrumentation does for every message of a send: a span from
    // the active context, injected over the message's headers.
    const instrumentedSend = (headers: Record<string, string>) => {
      const span = tracer.startSpan('send order.events', { kind: SpanKind.PRODUCER });
      propagation.inject(trace.setSpan(context.active(), span), headers);
      span.end();
      return headers;
    };
    const control = instrumentedSend({ traceparent: 'the message trace' });
    expect(control.traceparent).not.toBe('the message trace'); // what happens outside the helper
    telemetry.reset();

    const sent = await withBatchProducerSpans(messageSpans(rowsOfTwoRequests()), (traceHeaders) =>
      traceHeaders.map((headers) => instrumentedSend({ ...headers })),
    );

    expect(sent).toEqual([
      { traceparent: traceparentOf(await spanNamed('send batch-0')) },
      { traceparent: traceparentOf(await spanNamed('send batch-1')) },
    ]);
    expect((await telemetry.spans()).map((s) => s.name)).not.toContain('send order.events');
  });

  it('records a failed send on every span and rethrows it', async () => {
    await expect(
      withBatchProducerSpans(messageSpans(rowsOfTwoRequests()), async () => {
        throw new Error('broker unreachable');
      }),
    ).rejects.toThrow('broker unreachable');
    for (const name of ['send batch-0', 'send batch-1']) {
      const producer = await spanNamed(name);
      expect(producer.status).toEqual({ code: SpanStatusCode.ERROR, message: 'broker unreachable' });
      expect(producer.events.map((e) => e.name)).toEqual(['exception']);
      expect(producer.ended).toBe(true);
    }
  });
});

describe('kafkaMessageAttributes', () => {
  it('maps a delivered message to messaging semantic conventions', () => {
    expect(
      kafkaMessageAttributes({
        topic: 'order.events',
        operation: 'process',
        partition: 3,
        offset: '42',
        key: Buffer.from('order-1'),
        consumerGroup: 'inventory',
      }),
    ).toEqual({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'order.events',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.partition.id': '3',
      'messaging.kafka.offset': 42,
      'messaging.kafka.message.key': 'order-1',
      'messaging.consumer.group.name': 'inventory',
    });
  });
});
