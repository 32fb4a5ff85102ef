import { DEFAULT_CHECK_TIMEOUT_MS, type CheckOptions, type ReadinessCheck } from './readiness-check';

/** A pg Pool or Client, our SqlClient, or anything else with `query(sql)`. */
export interface Queryable {
  query(sql: string): Promise<unknown>;
}

export interface PostgresCheckOptions extends CheckOptions {
  /** Runs `SELECT 1`: a pg Pool, or a function such as `(sql) => prisma.$queryRawUnsafe(sql)`. */
  database: Queryable | ((sql: string) => Promise<unknown>);
}

/** Postgres is ready when `SELECT 1` answers. */
export function postgresCheck(options: PostgresCheckOptions): ReadinessCheck {
  const { database } = options;
  const query = typeof database === 'function' ? database : (sql: string) => database.query(sql);
  return {
    name: options.name ?? 'postgres',
    timeoutMs: options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    async check() {
      await query('SELECT 1');
    },
  };
}
