/**
 * The small SQL surface the platform libraries (outbox, inbox, event store)
 * need. Services hand them either a pg Pool (pgSqlClient) or their Prisma
 * client (prismaSqlClient), so a library's rows land in the same transaction
 * as the service's own state change.
 */
export interface SqlExecutor {
  /** Runs one statement with $1..$n parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export type IsolationLevel = 'ReadCommitted' | 'RepeatableRead' | 'Serializable';

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(
    work: (tx: SqlExecutor) => Promise<T>,
    options?: { isolationLevel?: IsolationLevel },
  ): Promise<T>;
}
