import { register } from 'prom-client';
import { type ResilienceLogger } from './logger';

// Helpers for this lib's own specs (not exported from index.ts).

export interface LogEntry {
  level: 'info' | 'warn';
  message: string;
  fields: Record<string, unknown>;
}

export function recordingLogger(): { logger: ResilienceLogger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    logger: {
      info: (fields, message) => entries.push({ level: 'info', message, fields }),
      warn: (fields, message) => entries.push({ level: 'warn', message, fields }),
    },
  };
}

/** Reads one series of a metric from prom-client's default registry, as /metrics would export it. */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await register.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  const series = metric?.values.find((value) =>
    Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  );
  return series?.value;
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An Error carrying an HTTP status, like the errors HTTP clients throw. */
export function httpError(status: number): Error & { status: number } {
  return Object.assign(new Error(`HTTP ${status}`), { status });
}

/** Settles a promise's rejection now (so it is never "unhandled") and hands back what it rejected with. */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}
