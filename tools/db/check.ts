/**
 * `npm run db:check [-- <service>]`: fails when a service's schema (or a
 * library fragment it includes) changed without a migration. Offline; for CI.
 */
import {
  pendingSchemaChanges,
  servicePrismaDir,
  servicesDir,
  servicesWithPrismaSchema,
} from '@shop/persistence';
import { runCli, selectServices, type DbToolOptions } from './services';

/** The services whose migrations lag behind their schema, with the SQL of the missing migration. */
export async function checkServiceMigrations(
  only?: string,
  { servicesDir: dir = servicesDir(), log = console.log }: DbToolOptions = {},
): Promise<Record<string, string>> {
  const missing: Record<string, string> = {};
  const names = selectServices(servicesWithPrismaSchema(dir), only, 'prisma/schema.prisma');
  if (names.length === 0) log('No service has a prisma/schema.prisma yet: nothing to check.');
  for (const service of names) {
    const sql = await pendingSchemaChanges(servicePrismaDir(service, dir));
    if (sql) {
      missing[service] = sql;
      log(
        `[${service}] schema changed without a migration; create it with\n` +
          `  npm run db:migrate:create -- ${service} <what changed>\nIt would contain:\n\n${sql}`,
      );
    } else {
      log(`[${service}] migrations match the schema`);
    }
  }
  return missing;
}

if (require.main === module) {
  runCli(async () => (Object.keys(await checkServiceMigrations(process.argv[2])).length > 0 ? 1 : 0));
}
