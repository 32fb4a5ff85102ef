/**
 * Test support around the fixture service (demo-service/prisma, laid out like
 * services/<name>/prisma) and for looking at what a migration did to a database.
 */
import { cpSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const DEMO_SERVICE_PRISMA_DIR = join(__dirname, 'demo-service', 'prisma');

/** The tables of a database migrated to the fixture service's schema. */
export const DEMO_SERVICE_TABLES = [
  '_prisma_migrations',
  'audit_log', // fixture library fragment (demo-lib)
  'outbox', // @shop/messaging's outbox fragment
  'widget', // the service's own model
];

const DEMO_SERVICE_SRC = join(__dirname, 'demo-service', 'src');

/**
 * A folder for one test run's generated client, inside the fixture service's
 * src/generated/ (gitignored like every service's), where the client's
 * imports of @prisma/client resolve.
 */
export function generatedClientDir(): string {
  return join(DEMO_SERVICE_SRC, 'generated', `prisma-${process.pid}-${Date.now()}`);
}

/** Removes a generatedClientDir and the folders it left empty. */
export function removeGeneratedClient(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const folder of [join(DEMO_SERVICE_SRC, 'generated'), DEMO_SERVICE_SRC]) {
    if (readdirSync(folder).length === 0) rmdirSync(folder);
  }
}

/**
 * A scratch copy of the fixture service's prisma/ folder, free to edit, at
 * `<root>/<service>/prisma`: `root` stands for a services/ folder.
 */
export function copyDemoService(service = 'demo'): { root: string; prismaDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'shop-demo-service-'));
  const prismaDir = join(root, service, 'prisma');
  cpSync(DEMO_SERVICE_PRISMA_DIR, prismaDir, { recursive: true });
  return { root, prismaDir };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function column(url: string, sql: string): Promise<string[]> {
  return withClient(url, async (c) => (await c.query<{ v: string }>(sql)).rows.map((r) => r.v));
}

export function tableNames(url: string): Promise<string[]> {
  return column(
    url,
    "SELECT table_name AS v FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
}

/** Migrations recorded as finished in `_prisma_migrations`, in order. */
export function appliedMigrationNames(url: string): Promise<string[]> {
  return column(
    url,
    'SELECT migration_name AS v FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
  );
}

/**
 * The public schema as a comparable list: every column (type, nullability,
 * default), index and constraint, leaving out Prisma's own bookkeeping table.
 */
export function schemaCatalog(url: string): Promise<string[]> {
  return column(
    url,
    `SELECT v FROM (
       SELECT format('column %s.%s %s %s default %s', table_name, column_name, data_type, is_nullable, column_default) AS v
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
       UNION ALL
       SELECT format('index %s', indexdef) FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
       UNION ALL
       SELECT format('constraint %s on %s: %s', conname, conrelid::regclass, pg_get_constraintdef(oid))
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
     ) catalog ORDER BY v`,
  );
}
