import type { z } from 'zod';

type Env = Record<string, string | undefined>;

/** One variable that is missing or invalid. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** Every problem of the environment at once, so one failed start shows all there is to fix. */
export class ServiceConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid service configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ServiceConfigError';
  }
}

/**
 * Typed configuration from the environment, or a ServiceConfigError naming
 * every missing or invalid variable:
 *
 *   export const orderEnv = SERVICE_ENV_SCHEMAS.order.extend({ PAYMENT_TIMEOUT_MS: z.coerce.number().default(2000) });
 *   const config = loadServiceConfig(orderEnv); // config.PORT: number, config.KAFKA_BROKERS: string[]
 *
 * An empty variable (`FOO=`) counts as not set, so its default applies.
 * Messages never contain the values (secrets stay out of logs).
 */
export function loadServiceConfig<S extends z.ZodType<object>>(
  schema: S,
  env: Env = process.env,
): z.output<S> {
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(set, {
    error: (issue) => (issue.input === undefined ? 'is not set' : undefined),
  });
  if (result.success) return result.data;
  throw new ServiceConfigError(
    result.error.issues.map((issue) => ({
      variable: issue.path.length ? String(issue.path[0]) : '(environment)',
      message: issue.message,
    })),
  );
}

/** The variables an env schema reads, and whether each must be set (no default, not optional). */
export function envVariablesOf(schema: z.ZodObject): { name: string; required: boolean }[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    required: !(field as z.ZodType).safeParse(undefined).success,
  }));
}
