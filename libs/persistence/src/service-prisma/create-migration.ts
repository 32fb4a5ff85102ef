import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffSchemas, LOCKFILE_CONTENT, readMigrationList } from '../migrations';
import { resolveServiceSchema } from './compose';
import { prismaLayout, type PrismaLayout } from './layout';
import { nextMigrationFolder } from './migration-name';
import { renderSnapshot, snapshotSchemaFile } from './snapshot';

export interface CreatedMigration {
  /** Folder name, e.g. 20261121083000_add_order_index. */
  readonly name: string;
  readonly dir: string;
  readonly sql: string;
}

export interface CreateMigrationOptions {
  /** The service's prisma/ folder. */
  prismaDir: string;
  /** What the migration does, e.g. "add order index" (becomes add_order_index). */
  name: string;
  now?: Date;
}

/**
 * Writes the migration that takes the database from the schema snapshot (the
 * schema of the latest migration) to the service's current composed schema:
 * migrations/<timestamp>_<name>/migration.sql, the lockfile, and the new
 * snapshot. Offline: no database involved. Returns null when nothing changed.
 * The SQL may be edited before it is committed (data moves, concurrent
 * indexes); the snapshot records the schema, not the SQL.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreatedMigration | null> {
  const layout = prismaLayout(options.prismaDir);
  const current = resolveServiceSchema(layout.prismaDir);
  const sql = await diffFromSnapshot(layout, current);
  if (!sql) return null;

  const existing = migrationFolders(layout);
  const name = nextMigrationFolder(options.name, existing, options.now ?? new Date());
  const dir = join(layout.migrationsDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql);
  const lockfile = join(layout.migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockfile)) writeFileSync(lockfile, LOCKFILE_CONTENT);
  writeFileSync(layout.snapshotFile, renderSnapshot(current));
  return { name, dir, sql };
}

/**
 * The SQL of the migration that is missing, or null when the migrations
 * folder is up to date with the service's schema (and its fragments). A
 * CI guard: a schema or fragment change committed without its migration.
 */
export async function pendingSchemaChanges(prismaDir: string): Promise<string | null> {
  const layout = prismaLayout(prismaDir);
  return (await diffFromSnapshot(layout, resolveServiceSchema(prismaDir))) || null;
}

async function diffFromSnapshot(
  layout: PrismaLayout,
  current: ReturnType<typeof resolveServiceSchema>,
): Promise<string> {
  if (!existsSync(layout.snapshotFile)) {
    if (migrationFolders(layout).length > 0) {
      throw new Error(
        `${layout.migrationsDir} has migrations but no ${layout.snapshotFile}: ` +
          'the snapshot is written by createMigration and must be committed with them',
      );
    }
    return diffSchemas(current);
  }
  return diffSchemas(current, [snapshotSchemaFile(readFileSync(layout.snapshotFile, 'utf8'))]);
}

function migrationFolders(layout: PrismaLayout): string[] {
  return readMigrationList(layout.migrationsDir).migrationDirectories.map((d) => d.path);
}
