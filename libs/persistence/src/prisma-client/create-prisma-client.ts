import { PrismaPg } from '@prisma/adapter-pg';
import type { PoolConfig } from 'pg';

/**
 * Creates a service's generated Prisma client on the pg driver adapter (no
 * query-engine binary: Prisma 7's client compiles queries in WebAssembly and
 * runs them through node-postgres).
 *
 *   import { PrismaClient } from './generated/prisma/client';
 *   const prisma = createPrismaClient(PrismaClient, serviceDatabaseUrl('order'));
 */
export function createPrismaClient<Client>(
  PrismaClientClass: new (options: { adapter: PrismaPg }) => Client,
  databaseUrl: string,
  pool: Omit<PoolConfig, 'connectionString'> = {},
): Client {
  return new PrismaClientClass({ adapter: new PrismaPg({ ...pool, connectionString: databaseUrl }) });
}
