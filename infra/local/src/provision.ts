import { Client } from 'pg';
import Redis from 'ioredis';
import { postgresAdminUrl, redisUrl, servicesWithDatabase } from '@shop/config';

type Env = Record<string, string | undefined>;

/** A local server is missing or unreachable; the message says how to start it. */
export class InfrastructureUnavailableError extends Error {}

const HOW_TO_START = {
  postgres:
    'start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (or set POSTGRES_URL)',
  redis:
    'start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no (or set REDIS_URL)',
};

export interface ProvisionReport {
  created: string[];
  existing: string[];
  redis: string;
}

/**
 * Idempotently creates one database per service on the Postgres server and
 * checks that Redis answers. Never falls back silently: an unreachable server
 * is an error that names it and says how to start it.
 */
export async function provisionLocalInfrastructure(env: Env = process.env): Promise<ProvisionReport> {
  const databases = servicesWithDatabase().map((s) => s.database);
  const { created, existing } = await ensureDatabases(postgresAdminUrl(env), databases);
  const redis = await checkRedis(redisUrl(env));
  return { created, existing, redis };
}

export async function ensureDatabases(
  adminUrl: string,
  databases: readonly string[],
): Promise<{ created: string[]; existing: string[] }> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined); // clears the pending connection timer
    throw new InfrastructureUnavailableError(
      `Postgres at ${redact(adminUrl)} is unreachable (${describe(err)}); ${HOW_TO_START.postgres}`,
    );
  }
  const created: string[] = [];
  const existing: string[] = [];
  try {
    for (const db of databases) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
      if (rowCount) {
        existing.push(db);
        continue;
      }
      try {
        await client.query(`CREATE DATABASE "${db}"`);
        created.push(db);
      } catch (err) {
        // Another provisioner created it between our check and our create:
        // 42P04 duplicate_database, or 23505 when both CREATEs ran at once.
        if (!['42P04', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
        existing.push(db);
      }
    }
  } finally {
    await client.end();
  }
  return { created, existing };
}

export async function checkRedis(url: string): Promise<string> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // reported through the rejected connect below
  try {
    await redis.connect();
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } catch (err) {
    throw new InfrastructureUnavailableError(
      `Redis at ${redact(url)} is unreachable (${describe(err)}); ${HOW_TO_START.redis}`,
    );
  } finally {
    redis.disconnect();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function describe(err: unknown): string {
  if (err instanceof AggregateError) return err.errors.map(describe).join('; ');
  return err instanceof Error ? err.message || err.name : String(err);
}
