/**
 * The process's OpenTelemetry SDK. The instrumentations patch pg, ioredis,
 * kafkajs and the http module when those are first required, so a service
 * starts telemetry before anything else:
 *
 *   // services/<name>/src/telemetry.ts, the first import of main.ts
 *   import { startTelemetry } from '@shop/telemetry';
 *   export const telemetry = startTelemetry({ serviceName: 'order' });
 *
 * (Importing @shop/telemetry itself loads pino, prom-client and Nest, none of
 * which needs patching: our logger adds trace ids itself, Nest 12 has no
 * working instrumentation, and the http patch applies to the shared
 * Server.prototype whenever http is required again.)
 */
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import {
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { defaultInstrumentations, modulesLoadedTooEarly, type Instrumentations } from './instrumentations';
import { traceContextPropagator } from './trace-context-propagator';
import { describeTraceExport, traceExportPlan, type TraceExportPlan } from './trace-export-plan';

export interface TelemetryOptions {
  /** The `service.name` resource attribute (OTEL_RESOURCE_ATTRIBUTES adds more). */
  serviceName: string;
  /** Defaults to process.env; read for the OTEL_* variables. */
  env?: Record<string, string | undefined>;
  /**
   * Replaces the exporter chosen from the environment. Tests pass
   * `new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })`.
   */
  spanProcessors?: SpanProcessor[];
  /**
   * Replaces the default instrumentations. Jest passes []: its module
   * registry bypasses the require hooks, and patches would outlive the test.
   */
  instrumentations?: Instrumentations;
}

export interface TelemetryHandle {
  readonly serviceName: string;
  /** Where spans go, for the service's startup log line. */
  readonly traceExport: string;
  /** Flushes pending spans and stops exporting. Safe to call more than once. */
  shutdown(): Promise<void>;
}

const HANDLE_KEY = Symbol.for('@shop/telemetry.handle');
type HandleSlot = { [HANDLE_KEY]?: TelemetryHandle };

/**
 * Starts tracing for this process, once: later calls return the first
 * handle (and warn if they name another service).
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  const slot = globalThis as HandleSlot;
  const existing = slot[HANDLE_KEY];
  if (existing) {
    if (existing.serviceName !== options.serviceName) {
      process.emitWarning(
        `startTelemetry('${options.serviceName}') ignored: telemetry already started for '${existing.serviceName}'`,
      );
    }
    return existing;
  }
  const handle = start(options);
  slot[HANDLE_KEY] = handle;
  return handle;
}

function start(options: TelemetryOptions): TelemetryHandle {
  const plan = traceExportPlan(options.env ?? process.env);
  if (plan.kind === 'disabled' && !options.spanProcessors)
    return startPropagationOnly(options.serviceName, plan);

  const instrumentations = options.instrumentations ?? defaultInstrumentations();
  if (instrumentations.length > 0) warnIfLoadedTooEarly();
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    textMapPropagator: traceContextPropagator,
    instrumentations,
    // prom-client serves metrics (GET /metrics) and pino writes logs to
    // stdout: no OTLP metrics or logs pipelines.
    metricReaders: [],
    logRecordProcessors: [],
    ...spanPipeline(plan, options.spanProcessors),
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    serviceName: options.serviceName,
    traceExport: options.spanProcessors ? 'custom span processors' : describeTraceExport(plan),
    shutdown: () => (stopped ??= sdk.shutdown()),
  };
}

function spanPipeline(
  plan: TraceExportPlan,
  override: SpanProcessor[] | undefined,
): Pick<Partial<NodeSDKConfiguration>, 'spanProcessors' | 'traceExporter'> {
  if (override) return { spanProcessors: override };
  switch (plan.kind) {
    // The exporter reads its endpoint, headers, timeout and compression from
    // OTEL_EXPORTER_OTLP_*; the SDK batches with the OTEL_BSP_* settings.
    case 'otlp':
      return { traceExporter: new OTLPTraceExporter() };
    case 'console':
      return { spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })] };
    default:
      // A processor that drops spans still makes the SDK register a tracer
      // provider, so spans (and their ids) exist for propagation and logs.
      return { spanProcessors: [new NoopSpanProcessor()] };
  }
}

/** OTEL_SDK_DISABLED: no spans, but trace context received still flows to what is sent. */
function startPropagationOnly(serviceName: string, plan: TraceExportPlan): TelemetryHandle {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(traceContextPropagator);
  return { serviceName, traceExport: describeTraceExport(plan), shutdown: async () => undefined };
}

function warnIfLoadedTooEarly(): void {
  const early = modulesLoadedTooEarly(Object.keys(require.cache));
  if (early.length > 0) {
    process.emitWarning(
      `startTelemetry ran after ${early.join(', ')} were loaded; their spans may be missing. ` +
        'Import the telemetry bootstrap before anything else in main.ts.',
    );
  }
}
