import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, prismaSqlClient, type SqlClient } from '@shop/persistence';
import { PrismaClient } from '../generated/prisma/client';

/** The service's Prisma client and the SqlClient on it (ledger, provider tables, outbox relay, inbox). */
@Injectable()
export class PaymentDatabase implements OnApplicationShutdown {
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
