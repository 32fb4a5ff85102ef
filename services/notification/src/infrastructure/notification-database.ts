import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, prismaSqlClient, type SqlClient } from '@shop/persistence';
import { PrismaClient } from '../generated/prisma/client';

/** The service's Prisma client and the SqlClient on it (inbox, stores, delivery worker). */
@Injectable()
export class NotificationDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaClient;
  readonly sql: SqlClient;

  /**
   * `transactionTimeoutMs` must exceed the longest transaction: the delivery
   * worker holds a row lock (and its transaction) while it talks to the SMTP
   * server, bounded by the send timeout.
   */
  constructor(databaseUrl: string, options: { transactionTimeoutMs: number; poolSize: number }) {
    this.prisma = createPrismaClient(PrismaClient, databaseUrl, { max: options.poolSize });
    this.sql = prismaSqlClient(this.prisma, { timeout: options.transactionTimeoutMs, maxWait: 5_000 });
  }

  // After the messaging module and the worker stopped (onModuleDestroy): nothing uses the pool any more.
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
