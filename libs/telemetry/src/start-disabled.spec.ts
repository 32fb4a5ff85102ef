import { trace } from '@opentelemetry/api';
import {
  extractTraceContext,
  injectTraceHeaders,
  withConsumerSpan,
  withProducerSpan,
} from './kafka-trace-context';
import { startTelemetry } from './start';

const upstream = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

describe('startTelemetry with OTEL_SDK_DISABLED=true', () => {
  const handle = startTelemetry({ serviceName: 'payment', env: { OTEL_SDK_DISABLED: 'true' } });

  it('records no spans', () => {
    expect(trace.getTracer('spec').startSpan('work').isRecording()).toBe(false);
    expect(handle.traceExport).toMatch(/^disabled/);
  });

  it('passes the trace of a consumed message on to what the handler writes', async () => {
    const written = await withConsumerSpan(
      'process',
      { traceparent: Buffer.from(upstream.traceparent) },
      {},
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1)); // across an async boundary
        return injectTraceHeaders({});
      },
    );
    expect(written).toEqual(upstream);
  });

  it('lets an outbox relay publish with the stored trace context', async () => {
    const sent = await withProducerSpan(
      'send',
      { parent: extractTraceContext(upstream) },
      (headers) => headers,
    );
    expect(sent).toEqual(upstream);
  });
});
