import { Client, Pool, type PoolConfig } from 'pg';
import { postgresAdminUrl, withDatabase } from '@shop/config';
import { createdAt, uniqueName } from './unique-name';
import { sleep } from './wait-for';

export const TEST_DATABASE_PREFIX = 'shoptest';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A pg pool on this database, closed (for real) before the database is dropped. */
  pool(config?: PoolConfig): Pool;
  drop(): Promise<void>;
}

/** Applies a schema to a fresh database (e.g. a service's migrations). */
export type Migrate = (databaseUrl: string) => Promise<void>;

/** Creates a fresh, empty database on the test server and migrates it. */
export async function createTestDatabase(label: string, migrate?: Migrate): Promise<TestDatabase> {
  const adminUrl = postgresAdminUrl();
  const name = uniqueName(TEST_DATABASE_PREFIX, label);
  await withAdminClient(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(adminUrl, name);
  const pools: Pool[] = [];
  const database: TestDatabase = {
    name,
    url,
    pool(config = {}) {
      const pool = new Pool({ connectionString: url, ...config });
      pools.push(pool);
      return pool;
    },
    drop: async () => {
      await Promise.all(pools.splice(0).map(closePool));
      await withAdminClient(adminUrl, (admin) => dropDatabase(admin, name));
    },
  };
  try {
    await migrate?.(url);
  } catch (err) {
    await database.drop();
    throw err;
  }
  return database;
}

/** Drops test databases left behind by runs that crashed more than `olderThanMs` ago. */
export async function dropStaleTestDatabases(olderThanMs = 60 * 60 * 1000): Promise<string[]> {
  const adminUrl = postgresAdminUrl();
  return withAdminClient(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE '${TEST_DATABASE_PREFIX}\\_%'`,
    );
    const stale = rows
      .map((r) => r.datname)
      .filter((n) => (createdAt(n) ?? Infinity) < Date.now() - olderThanMs);
    for (const name of stale) await dropDatabase(admin, name);
    return stale;
  });
}

/**
 * Drops a database, first giving its connections up to 2 s to close on their
 * own: clients a suite ended (a Prisma client, a pool it made itself) may
 * still be closing, and a forced drop would kill them with 57P01, which their
 * pools report as an unhandled error in whatever test runs next.
 */
async function dropDatabase(admin: Client, name: string): Promise<void> {
  for (let waited = 0; waited < 2000; waited += 50) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if (rows[0]!.n === 0) break;
    await sleep(50);
  }
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function withAdminClient<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Ends a pg pool and waits until every connection is really closed.
 * `pool.end()` resolves as soon as it has asked its clients to end, so a
 * DROP DATABASE ... WITH (FORCE) right after it can kill a connection that
 * is still closing, and that client then raises an unhandled error.
 */
export async function closePool(pool: Pool): Promise<void> {
  if (pool.ended) return;
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => {
      if (--open === 0) resolve();
    });
  });
  await pool.end();
  await closed;
}
