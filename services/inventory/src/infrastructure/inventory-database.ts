import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, prismaSqlClient, type SqlClient } from '@shop/persistence';
import { PrismaClient } from '../generated/prisma/client';

/** The service's Prisma client and the SqlClient on it (inbox, outbox, the stock ledger's SQL). */
@Injectable()
export class InventoryDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaClient;
  readonly sql: SqlClient;

  constructor(databaseUrl: string, options: { poolMax?: number; transactionTimeoutMs?: number } = {}) {
    this.prisma = createPrismaClient(PrismaClient, databaseUrl, { max: options.poolMax ?? 10 });
    // Reservations of a popular product queue on its row lock: give them room beyond Prisma's 2 s / 5 s.
    this.sql = prismaSqlClient(this.prisma, {
      maxWait: 10_000,
      timeout: options.transactionTimeoutMs ?? 15_000,
    });
  }

  // After the messaging module and the sweeper stopped (onModuleDestroy): nothing uses the pool any more.
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
