/**
 * `npm run db:generate [-- <service>]`: generates each service's Prisma client
 * from its composed schema (own models + library fragments), offline, into the
 * generator's `output` (gitignored, e.g. services/<name>/src/generated/prisma).
 */
import { relative } from 'node:path';
import {
  generatePrismaClient,
  servicePrismaDir,
  servicesDir,
  servicesWithPrismaSchema,
  workspaceRoot,
} from '@shop/persistence';
import { runCli, selectServices, type DbToolOptions } from './services';

export async function generateServiceClients(
  only?: string,
  { servicesDir: dir = servicesDir(), log = console.log }: DbToolOptions = {},
): Promise<Record<string, string[]>> {
  const generated: Record<string, string[]> = {};
  const names = selectServices(servicesWithPrismaSchema(dir), only, 'prisma/schema.prisma');
  if (names.length === 0) log('No service has a prisma/schema.prisma yet: nothing to generate.');
  for (const service of names) {
    const { outputs } = await generatePrismaClient({ prismaDir: servicePrismaDir(service, dir) });
    generated[service] = outputs;
    log(
      `[${service}] Prisma client generated into ${outputs.map((o) => relative(workspaceRoot(), o)).join(', ')}`,
    );
  }
  return generated;
}

if (require.main === module) runCli(() => generateServiceClients(process.argv[2]).then(() => 0));
