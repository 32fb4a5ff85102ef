/**
 * `npm run db:migrate:create -- <service> <name...>`: writes the migration for
 * what changed in the service's schema (or its library fragments) since its
 * latest migration. Offline: no database needed. Review the SQL, then commit
 * it with the updated schema.snapshot.prisma.
 */
import { relative } from 'node:path';
import {
  createMigration,
  servicePrismaDir,
  servicesDir,
  servicesWithPrismaSchema,
  workspaceRoot,
} from '@shop/persistence';
import { runCli, selectServices, type DbToolOptions } from './services';

export async function createServiceMigration(
  service: string,
  name: string,
  { servicesDir: dir = servicesDir(), log = console.log }: DbToolOptions = {},
): Promise<string | null> {
  selectServices(servicesWithPrismaSchema(dir), service, 'prisma/schema.prisma');
  const created = await createMigration({ prismaDir: servicePrismaDir(service, dir), name });
  if (!created) {
    log(`[${service}] schema unchanged since the latest migration: nothing to create.`);
    return null;
  }
  log(`[${service}] created ${relative(workspaceRoot(), created.dir)}/migration.sql:\n\n${created.sql}`);
  return created.name;
}

if (require.main === module) {
  const [service, ...words] = process.argv.slice(2);
  runCli(async () => {
    if (!service || words.length === 0) {
      console.error('usage: npm run db:migrate:create -- <service> <migration name>');
      return 2;
    }
    await createServiceMigration(service, words.join(' '));
  });
}
