import type { IsolationLevel, SqlClient, SqlExecutor } from '../sql-client';
import { toPgRow, toSqlError } from './prisma-values';

/**
 * The part of a generated Prisma client (or of the `tx` client inside
 * `$transaction`) the adapter uses. Structural, so it fits any service's
 * generated client.
 */
export interface PrismaRawQueryClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

type PrismaIsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';

export interface PrismaTransactionOptions {
  /** Longest wait for a connection from the pool, ms (Prisma's default: 2000). */
  maxWait?: number;
  /** Longest a transaction may run before Prisma rolls it back, ms (Prisma's default: 5000). */
  timeout?: number;
}

export interface PrismaTransactionalClient extends PrismaRawQueryClient {
  $transaction<R>(
    work: (tx: PrismaRawQueryClient) => Promise<R>,
    options?: PrismaTransactionOptions & { isolationLevel?: PrismaIsolationLevel },
  ): Promise<R>;
}

const ISOLATION: Record<IsolationLevel, PrismaIsolationLevel> = {
  ReadCommitted: 'ReadCommitted',
  RepeatableRead: 'RepeatableRead',
  Serializable: 'Serializable',
};

/**
 * A SqlExecutor on a Prisma client or on the `tx` of a Prisma interactive
 * transaction. Hand it to a library inside the service's own transaction, so
 * the library's rows commit or roll back with the service's:
 *
 *   await prisma.$transaction(async (tx) => {
 *     await tx.order.create({ data });
 *     await outbox.add(prismaSqlExecutor(tx), event);
 *   });
 *
 * Statements take $1..$n parameters (one statement per call). Rows come back
 * with node-postgres types and errors with their SQLSTATE in `code`, as from
 * pgSqlClient.
 */
export function prismaSqlExecutor(prisma: PrismaRawQueryClient): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      try {
        const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params);
        return rows.map(toPgRow) as Row[];
      } catch (err) {
        throw toSqlError(err);
      }
    },
  };
}

/** A SqlClient on a generated Prisma client; `transaction` is a Prisma interactive transaction. */
export function prismaSqlClient(
  prisma: PrismaTransactionalClient,
  transactionOptions: PrismaTransactionOptions = {},
): SqlClient {
  return {
    ...prismaSqlExecutor(prisma),
    async transaction(work, options = {}) {
      const isolationLevel = options.isolationLevel && ISOLATION[options.isolationLevel];
      try {
        return await prisma.$transaction((tx) => work(prismaSqlExecutor(tx)), {
          ...transactionOptions,
          ...(isolationLevel && { isolationLevel }),
        });
      } catch (err) {
        throw toSqlError(err);
      }
    },
  };
}
