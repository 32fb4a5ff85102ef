/**
 * The small SQL surface the platform libraries (outbox, inbox, event store)
 * need. Services hand them either a pg Pool (pgSqlClient) or their Prisma
 * client (prismaSqlClient), so a library's rows land in the same transaction
 * as the service's own state change.
 *
 * Both adapters agree on what comes back: node-postgres's default types (int8
 * and numeric as strings, bytea as Buffer, json parsed, timestamptz as Date),
 * and database errors carrying their SQLSTATE in `code` (see sqlState).
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

/** The SQLSTATE of a database error from either adapter (e.g. '23505', unique violation), if it is one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  // Prisma's own codes (P1xxx-P6xxx) look alike; Postgres's only P class is P0 (PL/pgSQL).
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^P[1-9]/.test(code) ? code : undefined;
}
