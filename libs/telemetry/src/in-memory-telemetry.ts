import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry, type TelemetryHandle } from './start';

export interface InMemoryTelemetry {
  readonly handle: TelemetryHandle;
  /** Spans ended so far, oldest first (export is asynchronous: this flushes first). */
  spans(): Promise<ReadableSpan[]>;
  reset(): void;
}

/**
 * Telemetry for tests: spans kept in memory as they end, no instrumentation
 * patches (Jest's module registry bypasses them anyway). Once per test file,
 * like startTelemetry.
 */
export function startInMemoryTelemetry(serviceName = 'test'): InMemoryTelemetry {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const handle = startTelemetry({ serviceName, spanProcessors: [processor], instrumentations: [] });
  return {
    handle,
    spans: async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    },
    reset: () => exporter.reset(),
  };
}
