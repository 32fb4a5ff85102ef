import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  serviceName: string;
  /** pino level; LOG_LEVEL or `info` by default. */
  level?: string;
  /** Where JSON lines go; stdout by default (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/**
 * A pino logger writing one JSON object per line with `service`, a readable
 * `level`, an ISO `time` and, inside a span, its `trace_id`/`span_id`/
 * `trace_flags` (the field names of the OpenTelemetry pino instrumentation,
 * so log backends link a line to its trace either way).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: options.serviceName },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: activeTraceFields,
    },
    options.destination,
  );
}

/** The active span's ids as log fields, or nothing outside a (valid) span. */
export function activeTraceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
}
