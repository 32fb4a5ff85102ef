import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, prismaSqlClient, type SqlClient } from '@shop/persistence';
import { PrismaClient } from '../generated/prisma/client';

/**
 * Prisma's defaults (2 s to get a connection, 5 s per transaction) are short
 * for appends, which queue on the event store's lock under load: a saga step
 * that fails on them is retried by the consumer, but each failure spends one
 * of its attempts before the dead-letter topic.
 */
const TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 20_000 };

/** The service's Prisma client and the SqlClient on it (event store, outbox relay, inbox, raw queries). */
@Injectable()
export class OrderDatabase implements OnApplicationShutdown {
  readonly prisma: PrismaClient;
  readonly sql: SqlClient;

  constructor(databaseUrl: string) {
    this.prisma = createPrismaClient(PrismaClient, databaseUrl, { max: 10 });
    this.sql = prismaSqlClient(this.prisma, TRANSACTION_LIMITS);
  }

  // After the messaging module stopped (onModuleDestroy): in-flight handlers have finished.
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
