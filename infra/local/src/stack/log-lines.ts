/**
 * One readable line from a service's JSON log line (pino: level, time, msg,
 * trace_id, err): `order-1   WARN  message  {trace 4bf92f...}`. Lines that
 * are not JSON (a crash's stack trace) pass through as they are.
 */
export function formatLogLine(instance: string, line: string, width = 14): string {
  const prefix = instance.padEnd(width);
  const entry = parseJsonObject(line);
  if (!entry) return `${prefix} ${line}`;
  const level = String(entry.level ?? 'info').toUpperCase();
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  const error = errorText(entry.err);
  const trace = typeof entry.trace_id === 'string' ? `  {trace ${entry.trace_id.slice(0, 12)}}` : '';
  return `${prefix} ${level.padEnd(5)} ${message}${error ? ` - ${error}` : ''}${trace}`;
}

/** The log levels worth showing on the console by default (everything goes to the per-instance file). */
export function isNotable(line: string): boolean {
  const entry = parseJsonObject(line);
  if (!entry) return true;
  return !['debug', 'trace'].includes(String(entry.level));
}

function parseJsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorText(err: unknown): string {
  if (!err || typeof err !== 'object') return '';
  const { type, message } = err as { type?: unknown; message?: unknown };
  return [type, message].filter((part) => typeof part === 'string').join(': ');
}
