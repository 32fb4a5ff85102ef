import { serviceDefinition, type ServiceName } from './services';

type Env = Record<string, string | undefined>;

export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** URL of the Postgres server used for administration (creating databases). */
export function postgresAdminUrl(env: Env = process.env): string {
  return env.POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
}

/** Returns `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Database URL of one service: `<SERVICE>_DATABASE_URL` if set (e.g.
 * ORDER_DATABASE_URL), else the admin server with the service's database.
 */
export function serviceDatabaseUrl(service: ServiceName, env: Env = process.env): string {
  const explicit = env[`${service.toUpperCase()}_DATABASE_URL`];
  if (explicit) return explicit;
  const { database } = serviceDefinition(service);
  if (!database) throw new Error(`Service '${service}' owns no database`);
  return withDatabase(postgresAdminUrl(env), database);
}

export function redisUrl(env: Env = process.env): string {
  return env.REDIS_URL ?? DEFAULT_REDIS_URL;
}

/** Kafka bootstrap servers from KAFKA_BROKERS (comma separated), if set. */
export function kafkaBrokers(env: Env = process.env): string[] | undefined {
  const raw = env.KAFKA_BROKERS?.trim();
  if (!raw) return undefined;
  return raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}
