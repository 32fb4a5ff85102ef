import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

/**
 * Prisma's own schema engine, compiled to WebAssembly and driven through the
 * pg driver adapter: migrations with no native engine binary to download, so
 * they work here, in CI and in containers. Each command runs in a worker
 * thread (see schema-engine-worker.mjs for why).
 */
export interface SchemaFile {
  /** File name, used in engine error messages. */
  path: string;
  content: string;
}

export class SchemaEngineError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SchemaEngineError';
  }
}

type Command = 'applyMigrations' | 'diff';
type Input<C extends Command> = Parameters<SchemaEngine[C]>[0];
type Output<C extends Command> = Awaited<ReturnType<SchemaEngine[C]>>;

const WORKER = join(__dirname, 'schema-engine-worker.mjs');

/**
 * The Postgres version (server_version_num) the engine is told it targets when
 * it runs with no database (schema-to-schema diffs): the oldest server the
 * platform supports, Debian 12's Postgres 15. Migration SQL is written for it.
 */
export const OFFLINE_POSTGRES_VERSION = 150000;

/**
 * Runs one schema-engine command with the given schema files loaded, against
 * `databaseUrl`, or with no database at all when it is null (enough for diffs
 * between schema files).
 */
export function runSchemaEngine<C extends Command>(
  databaseUrl: string | null,
  schemaFiles: readonly SchemaFile[],
  command: C,
  input: Input<C>,
): Promise<Output<C>> {
  const workerData = {
    databaseUrl,
    datamodels: schemaFiles.map((f) => [f.path, f.content]),
    command,
    input,
    offlineServerVersion: OFFLINE_POSTGRES_VERSION,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData });
    worker.once(
      'message',
      (reply: { ok: true; result: Output<C> } | { ok: false; error: { message: string; code?: string } }) => {
        void worker.terminate();
        if (reply.ok) resolve(reply.result);
        else reject(new SchemaEngineError(reply.error.message, reply.error.code));
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`schema engine worker exited with code ${code}`)));
  });
}
