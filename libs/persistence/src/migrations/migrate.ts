import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { runSchemaEngine, type SchemaFile } from './schema-engine';
import { readSchemaFiles } from './schema-files';

const NO_FILTERS = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'migration_lock.toml';
export const LOCKFILE_CONTENT =
  '# Written by the shop migration tool. Keep it in git.\nprovider = "postgresql"\n';

/** The migrations folder as the engine reads it: `<timestamp>_<name>/migration.sql`, in name order. */
export function readMigrationList(migrationsDir: string): MigrationList {
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(migrationsDir, d.name, 'migration.sql')))
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = join(migrationsDir, LOCKFILE);
  return {
    baseDir: migrationsDir,
    // The engine panics on a missing lockfile; an absent one means Postgres, like a fresh folder.
    lockfile: {
      path: LOCKFILE,
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : LOCKFILE_CONTENT,
    },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((path) => ({
      path,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(migrationsDir, path, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/**
 * Applies the migrations of `migrationsDir` that the database has not seen
 * (recorded in `_prisma_migrations`, under Prisma's advisory lock, so several
 * instances starting at once are safe). Returns the names just applied.
 */
export async function applyMigrations(databaseUrl: string, migrationsDir: string): Promise<string[]> {
  const migrationsList = readMigrationList(migrationsDir);
  const { appliedMigrationNames } = await runSchemaEngine(
    databaseUrl,
    readSchemaFiles([]),
    'applyMigrations',
    {
      migrationsList,
      filters: NO_FILTERS,
    },
  );
  return appliedMigrationNames;
}

/**
 * The SQL that takes `from` (or an empty database) to `to`; empty string when
 * they agree. Offline: no database is needed.
 */
export async function diffSchemas(to: readonly SchemaFile[], from?: readonly SchemaFile[]): Promise<string> {
  const result = await runSchemaEngine(null, to, 'diff', {
    from: from ? { tag: 'schemaDatamodel', files: [...from] } : { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [...to] },
    script: true,
    exitCode: null,
    filters: NO_FILTERS,
  } as Parameters<typeof runSchemaEngine<'diff'>>[3]);
  const sql = result.stdout ?? '';
  return /^\s*(--.*\n|\s)*(-- This is an empty migration\.)?\s*$/.test(sql) ? '' : sql;
}

/**
 * Creates the tables of the given Prisma schema files in a fresh database,
 * straight from the schema (no migrations folder). For library tests, whose
 * tables are schema fragments and not a service's migration history.
 */
export async function migrateToSchema(databaseUrl: string, schemaPaths: readonly string[]): Promise<void> {
  const sql = await diffSchemas(readSchemaFiles(schemaPaths));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
