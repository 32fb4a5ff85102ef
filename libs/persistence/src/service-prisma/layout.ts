import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a service keeps its Prisma files:
 *
 *   services/<name>/prisma/
 *     schema.prisma        datasource, `prisma-client` generator, the service's models
 *     *.prisma             more of the service's own models, if it splits them
 *     fragments.json       library schema fragments it includes, as package paths
 *     migrations/
 *       <ts>_<name>/migration.sql
 *       migration_lock.toml
 *       schema.snapshot.prisma   the composed schema the latest migration was made from
 */
export interface PrismaLayout {
  readonly prismaDir: string;
  readonly schemaFile: string;
  readonly fragmentsFile: string;
  readonly migrationsDir: string;
  readonly snapshotFile: string;
}

export const SNAPSHOT_FILE = 'schema.snapshot.prisma';

export function prismaLayout(prismaDir: string): PrismaLayout {
  const migrationsDir = join(prismaDir, 'migrations');
  return {
    prismaDir,
    schemaFile: join(prismaDir, 'schema.prisma'),
    fragmentsFile: join(prismaDir, 'fragments.json'),
    migrationsDir,
    snapshotFile: join(migrationsDir, SNAPSHOT_FILE),
  };
}

/**
 * The root of the tree this code runs from: the repository, or `dist/` after
 * `npm run build` (which copies every service's prisma/ folder beside its
 * compiled code). This file sits at libs/persistence/src/service-prisma/ in both.
 */
export function workspaceRoot(): string {
  return join(__dirname, '..', '..', '..', '..');
}

export function servicesDir(root: string = workspaceRoot()): string {
  return join(root, 'services');
}

export function servicePrismaDir(service: string, services: string = servicesDir()): string {
  return join(services, service, 'prisma');
}

/** Services (folder names under `services`) that have a prisma/schema.prisma, sorted. */
export function servicesWithPrismaSchema(services: string = servicesDir()): string[] {
  return listServices(services, (dir) => existsSync(prismaLayout(dir).schemaFile));
}

/** Services (folder names under `services`) that have a prisma/migrations folder, sorted. */
export function servicesWithMigrations(services: string = servicesDir()): string[] {
  return listServices(services, (dir) => existsSync(prismaLayout(dir).migrationsDir));
}

function listServices(services: string, hasIt: (prismaDir: string) => boolean): string[] {
  if (!existsSync(services)) return [];
  return readdirSync(services, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && hasIt(servicePrismaDir(entry.name, services)))
    .map((entry) => entry.name)
    .sort();
}
