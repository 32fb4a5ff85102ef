import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * W3C trace context (`traceparent`, `tracestate`) plus W3C baggage: the one
 * propagation format of the platform, over HTTP (global propagator, set by
 * startTelemetry) and Kafka headers (our helpers use it directly, so they work
 * whether or not the SDK was started).
 */
export const traceContextPropagator = new CompositePropagator({
  propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
});
