import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

const PINO_LEVEL = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
} as const satisfies Record<NestLevel, string>;

/**
 * Nest's own logs (bootstrap, routes, unhandled exceptions) through our pino
 * logger, so they are JSON lines with trace ids like everything else:
 *
 *   const app = await NestFactory.create(AppModule, new FastifyAdapter(), {
 *     logger: new NestPinoLogger(logger),
 *   });
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: NestLevel, message: unknown, params: unknown[]): void {
    const [fields, msg] = nestLogToPino(level, message, params);
    this.logger[PINO_LEVEL[level]](fields, msg);
  }
}

/**
 * Maps Nest's logger calling convention to pino's (fields, msg): the last
 * string parameter is the context; `error(message, stack?, context?)` carries
 * a stack; an Error message becomes pino's `err`; object messages are fields.
 */
export function nestLogToPino(
  level: NestLevel,
  message: unknown,
  params: readonly unknown[],
): [Record<string, unknown>, string | undefined] {
  const rest = [...params];
  const fields: Record<string, unknown> = {};
  const last = rest.at(-1);
  const loneStack = level === 'error' && rest.length === 1 && isStack(last);
  if (typeof last === 'string' && !loneStack) fields.context = rest.pop();
  if (level === 'error' && rest.length > 0 && (isStack(rest.at(-1)) || rest.at(-1) === undefined)) {
    const stack = rest.pop();
    if (stack !== undefined) fields.stack = stack;
  }
  if (rest.length > 0) fields.params = rest;

  if (message instanceof Error) return [{ ...fields, err: message }, message.message];
  if (typeof message === 'object' && message !== null) return [{ ...message, ...fields }, undefined];
  return [fields, String(message)];
}

function isStack(value: unknown): value is string {
  return typeof value === 'string' && /\n\s+at /.test(value);
}
