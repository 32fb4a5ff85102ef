/**
 * `npm run db:migrate [-- <service>]`: creates the databases of the services
 * that have prisma/migrations (when they live on POSTGRES_URL's server), then
 * applies their pending migrations, exactly as each service does at start-up.
 */
import { postgresAdminUrl, withDatabase } from '@shop/config';
import { ensureDatabases } from '@shop/local-infra';
import {
  describeMigrationRun,
  migrateDatabase,
  serviceMigrationTarget,
  servicesDir,
  servicesWithMigrations,
} from '@shop/persistence';
import { runCli, selectServices, serviceWithDatabase, type DbToolOptions } from './services';

/** Migrates the services' databases; returns the migrations applied per service. */
export async function migrateServices(
  only?: string,
  { servicesDir: dir = servicesDir(), env = process.env, log = console.log }: DbToolOptions = {},
): Promise<Record<string, string[]>> {
  const names = selectServices(servicesWithMigrations(dir), only, 'prisma/migrations folder');
  if (names.length === 0) {
    log('No service has a prisma/migrations folder yet: nothing to migrate.');
    return {};
  }
  const targets = names.map((folder) => {
    const { service, database } = serviceWithDatabase(folder);
    return { service, database, ...serviceMigrationTarget(service, { env, servicesDir: dir }) };
  });

  // Databases given by <SERVICE>_DATABASE_URL live elsewhere; this tool creates only those on POSTGRES_URL's server.
  const adminUrl = postgresAdminUrl(env);
  const local = targets
    .filter((t) => t.databaseUrl === withDatabase(adminUrl, t.database))
    .map((t) => t.database);
  if (local.length > 0) {
    const { created } = await ensureDatabases(adminUrl, local);
    if (created.length > 0) log(`Created databases: ${created.join(', ')}`);
  }

  const applied: Record<string, string[]> = {};
  for (const target of targets) {
    applied[target.service] = await migrateDatabase(target);
    log(describeMigrationRun(target.service, applied[target.service]!));
  }
  return applied;
}

if (require.main === module) runCli(() => migrateServices(process.argv[2]).then(() => 0));
