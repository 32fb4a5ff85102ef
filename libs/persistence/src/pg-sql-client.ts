import type { Pool, PoolClient } from 'pg';
import type { IsolationLevel, SqlClient, SqlExecutor } from './sql-client';

const ISOLATION_SQL: Record<IsolationLevel, string> = {
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

function executor(target: Pool | PoolClient): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await target.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
  };
}

/** A SqlClient on a node-postgres pool. */
export function pgSqlClient(pool: Pool): SqlClient {
  return {
    ...executor(pool),
    async transaction(work, options = {}) {
      const connection = await pool.connect();
      try {
        const isolation = options.isolationLevel
          ? ` ISOLATION LEVEL ${ISOLATION_SQL[options.isolationLevel]}`
          : '';
        await connection.query(`BEGIN${isolation}`);
        const result = await work(executor(connection));
        await connection.query('COMMIT');
        return result;
      } catch (err) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        connection.release();
      }
    },
  };
}
