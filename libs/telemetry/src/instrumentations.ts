import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';

export type Instrumentations = NodeSDKConfiguration['instrumentations'];

/** Probe and scrape endpoints: frequent, uninteresting, kept out of traces. */
export function isProbePath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0]!;
  return path === '/metrics' || path.startsWith('/health/');
}

/**
 * The libraries every service's traces cross. They patch modules when those
 * are first required, hence startTelemetry before anything else is loaded.
 * - pg and ioredis spans only inside a trace (`requireParentSpan`): a polling
 *   outbox relay would otherwise fill the trace store with one-span traces;
 * - pino: trace fields in log lines (our own mixin does the same for loggers
 *   created before the SDK started); log sending off, logs go to stdout;
 * - nestjs-core: its 0.71 release supports @nestjs/core < 12 and stays inert on
 *   Nest 12; TelemetryModule names HTTP server spans by route instead.
 */
export function defaultInstrumentations(): Instrumentations {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbePath(request.url) }),
    new UndiciInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new KafkaJsInstrumentation(),
    new NestInstrumentation(),
    new PinoInstrumentation({ disableLogSending: true }),
  ];
}

/** Instrumented client libraries already in the require cache: they may escape patching. */
export function modulesLoadedTooEarly(loadedPaths: readonly string[]): string[] {
  const watched = ['pg', 'ioredis', 'kafkajs'];
  return watched.filter((name) => loadedPaths.some((path) => path.includes(`/node_modules/${name}/`)));
}
