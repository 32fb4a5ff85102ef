import { existsSync } from 'node:fs';
import { serviceDatabaseUrl, type ServiceName } from '@shop/config';
import { applyMigrations } from '../migrations';
import { prismaLayout, servicePrismaDir, servicesDir } from './layout';

/** A database and the migrations folder it follows. */
export interface MigrationTarget {
  databaseUrl: string;
  migrationsDir: string;
}

/**
 * Applies the migrations the database has not seen yet and returns their
 * names (none when it is up to date). Safe when several instances start at
 * once: the engine holds Postgres's advisory lock while it migrates. The one
 * code path behind service start-up, `npm run db:migrate` and test databases.
 */
export async function migrateDatabase(target: MigrationTarget): Promise<string[]> {
  if (!existsSync(target.migrationsDir)) {
    throw new Error(
      `Migrations folder ${target.migrationsDir} does not exist (was it shipped with the service?)`,
    );
  }
  return applyMigrations(target.databaseUrl, target.migrationsDir);
}

type Env = Record<string, string | undefined>;

/** A service's database (from @shop/config) and its services/<name>/prisma/migrations folder. */
export function serviceMigrationTarget(
  service: ServiceName,
  options: { env?: Env; servicesDir?: string } = {},
): MigrationTarget {
  return {
    databaseUrl: serviceDatabaseUrl(service, options.env),
    migrationsDir: prismaLayout(servicePrismaDir(service, options.servicesDir ?? servicesDir()))
      .migrationsDir,
  };
}

export interface MigrateOnStartOptions {
  /** Where the one-line outcome goes; console.log by default. */
  log?: (line: string) => void;
  env?: Env;
  /** Where services/<name>/prisma lives; the workspace's services/ by default. */
  servicesDir?: string;
}

/**
 * What a service calls before it starts serving:
 *
 *   await migrateOnStart('order');   // ORDER_DATABASE_URL or POSTGRES_URL + shop_order
 *
 * or with an explicit target. The database must exist (`npm run
 * infra:provision` or `npm run db:migrate` create local ones).
 */
export async function migrateOnStart(
  target: ServiceName | MigrationTarget,
  options: MigrateOnStartOptions = {},
): Promise<string[]> {
  const resolved = typeof target === 'string' ? serviceMigrationTarget(target, options) : target;
  const applied = await migrateDatabase(resolved);
  const label = typeof target === 'string' ? target : resolved.migrationsDir;
  (options.log ?? console.log)(describeMigrationRun(label, applied));
  return applied;
}

export function describeMigrationRun(label: string, applied: readonly string[]): string {
  return applied.length
    ? `[${label}] applied ${applied.length} migration${applied.length > 1 ? 's' : ''}: ${applied.join(', ')}`
    : `[${label}] database schema up to date`;
}

/**
 * Migrates a test database the way the service migrates its own, for
 * createTestEnvironment:
 *
 *   createTestEnvironment('orders', { postgres: migrationsOf('order') })
 */
export function migrationsOf(
  source: ServiceName | { migrationsDir: string },
): (databaseUrl: string) => Promise<void> {
  const migrationsDir =
    typeof source === 'string' ? prismaLayout(servicePrismaDir(source)).migrationsDir : source.migrationsDir;
  return async (databaseUrl) => {
    await migrateDatabase({ databaseUrl, migrationsDir });
  };
}
