import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, prismaSqlClient, type SqlClient } from '@shop/persistence';
import { PrismaClient } from '../generated/prisma/client';

/** The service's Prisma client and the SqlClient on it (outbox relay, inbox, raw queries). */
@Injectable()
export class CatalogDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaClient;
  readonly sql: SqlClient;

  constructor(databaseUrl: string) {
    this.prisma = createPrismaClient(PrismaClient, databaseUrl, { max: 10 });
    this.sql = prismaSqlClient(this.prisma);
  }

  // After the messaging module stopped (onModuleDestroy): in-flight handlers have finished.
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
