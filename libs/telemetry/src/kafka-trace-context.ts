import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { traceContextPropagator } from './trace-context-propagator';

/** Kafka message headers as kafkajs delivers them (values are usually Buffers). */
export type KafkaHeaderValue = string | Buffer | (string | Buffer)[] | undefined;
export type KafkaHeaders = Record<string, KafkaHeaderValue>;

const tracer = () => trace.getTracer('@shop/telemetry');

const kafkaHeaderGetter: TextMapGetter<KafkaHeaders> = {
  keys: (headers) => Object.keys(headers),
  get(headers, key) {
    const value = headers[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(String) : String(value);
  },
};

/**
 * Writes `traceparent` (and `tracestate`/`baggage` when present) of `ctx`
 * into a plain header map and returns it. Call it where an outbox row is
 * written, inside the request, and store the map with the row: the relay that
 * publishes later then continues the request's trace, not its own.
 */
export function injectTraceHeaders(
  headers: Record<string, string> = {},
  ctx: Context = context.active(),
): Record<string, string> {
  traceContextPropagator.inject(ctx, headers, {
    set: (carrier, key, value) => {
      carrier[key] = value;
    },
  });
  return headers;
}

/**
 * The context a message was produced in, from its headers (strings or
 * Buffers). Headers without trace context give the root context: a consumer
 * span started from it begins a new trace.
 */
export function extractTraceContext(
  headers: KafkaHeaders | undefined,
  base: Context = ROOT_CONTEXT,
): Context {
  return traceContextPropagator.extract(base, headers ?? {}, kafkaHeaderGetter);
}

/**
 * Runs `fn` in a CONSUMER span that continues the trace carried by the
 * message headers. If the active span already belongs to that trace (the
 * kafkajs instrumentation wraps eachMessage in its own `process` span), the
 * consumer span nests under it instead of becoming its sibling. Errors are
 * recorded on the span (status ERROR) and rethrown.
 */
export function withConsumerSpan<T>(
  name: string,
  headers: KafkaHeaders | undefined,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const parent = consumerParent(extractTraceContext(headers), context.active());
  const span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
  return runInSpan(span, trace.setSpan(parent, span), fn);
}

export interface ProducerSpanOptions {
  attributes?: Attributes;
  /**
   * The context to continue; the active one by default. An outbox relay
   * passes `extractTraceContext(row.headers)` to publish in the trace of the
   * request that wrote the row.
   */
  parent?: Context;
}

/**
 * Runs `fn` in a PRODUCER span and hands it the trace headers of that span,
 * to be sent with the message so the consumer's span becomes its child. The
 * headers also carry the context when no SDK records spans, so a service with
 * telemetry disabled still passes an incoming trace on.
 */
export function withProducerSpan<T>(
  name: string,
  options: ProducerSpanOptions,
  fn: (traceHeaders: Record<string, string>, span: Span) => Promise<T> | T,
): Promise<T> {
  const producer = startProducerSpan(name, options);
  return runInSpan(producer.span, producer.context, (span) => fn(producer.traceHeaders, span));
}

export interface BatchMessageSpan extends ProducerSpanOptions {
  name: string;
}

/**
 * One PRODUCER span per message around ONE send of them all: an outbox relay
 * publishes rows written by many requests in a single batch, and each message
 * stays in the trace of its own request. `send` gets the trace headers of
 * each message's span, in order; every span ends when `send` settles, and a
 * failure is recorded on each of them.
 *
 * `send` runs with tracing suppressed: the kafkajs instrumentation starts its
 * `send` spans from the one active context and would overwrite every
 * message's `traceparent` with it (see withProducerSpan for a single message,
 * where nesting under the active span is what we want).
 */
export async function withBatchProducerSpans<T>(
  messages: readonly BatchMessageSpan[],
  send: (traceHeaders: Record<string, string>[]) => Promise<T> | T,
): Promise<T> {
  const producers = messages.map(({ name, ...options }) => startProducerSpan(name, options));
  try {
    return await context.with(suppressTracing(context.active()), () =>
      send(producers.map((p) => p.traceHeaders)),
    );
  } catch (err) {
    for (const { span } of producers) recordFailure(span, err);
    throw err;
  } finally {
    for (const { span } of producers) span.end();
  }
}

/** Semantic-convention attributes of one Kafka message, for span attributes. */
export function kafkaMessageAttributes(message: {
  topic: string;
  operation: 'send' | 'process';
  partition?: number;
  offset?: string;
  key?: string | Buffer | null;
  consumerGroup?: string;
}): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.destination.name': message.topic,
    'messaging.operation.type': message.operation,
    'messaging.operation.name': message.operation,
  };
  if (message.partition !== undefined)
    attributes['messaging.destination.partition.id'] = String(message.partition);
  if (message.offset !== undefined) attributes['messaging.kafka.offset'] = Number(message.offset);
  if (message.key != null) attributes['messaging.kafka.message.key'] = String(message.key);
  if (message.consumerGroup) attributes['messaging.consumer.group.name'] = message.consumerGroup;
  return attributes;
}

/** Parent of a consumer span: the active span if it is in the message's trace, else the message's context. */
function consumerParent(fromHeaders: Context, active: Context): Context {
  const carried = trace.getSpanContext(fromHeaders);
  const current = trace.getSpanContext(active);
  if (carried && current && isSpanContextValid(current) && current.traceId === carried.traceId) return active;
  return fromHeaders;
}

function startProducerSpan(name: string, options: ProducerSpanOptions) {
  const parent = options.parent ?? context.active();
  const attributes = options.attributes ?? {};
  const span = tracer().startSpan(name, { kind: SpanKind.PRODUCER, attributes }, parent);
  const spanContext = trace.setSpan(parent, span);
  return { span, context: spanContext, traceHeaders: injectTraceHeaders({}, spanContext) };
}

async function runInSpan<T>(span: Span, ctx: Context, fn: (span: Span) => Promise<T> | T): Promise<T> {
  try {
    return await context.with(ctx, () => fn(span));
  } catch (err) {
    recordFailure(span, err);
    throw err;
  } finally {
    span.end();
  }
}

function recordFailure(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
