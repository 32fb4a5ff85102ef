/**
 * The logging surface the resilience primitives need. Its shape is pino's
 * (`logger.warn(fields, message)`), so a service passes its pino logger as is.
 */
export interface ResilienceLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

function jsonLine(level: 'info' | 'warn', fields: Record<string, unknown>, message: string): string {
  return JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields });
}

/** Default logger: one JSON object per line on stdout/stderr. */
export const jsonConsoleLogger: ResilienceLogger = {
  info: (fields, message) => console.log(jsonLine('info', fields, message)),
  warn: (fields, message) => console.warn(jsonLine('warn', fields, message)),
};
