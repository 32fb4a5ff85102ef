// Runs one command of Prisma's WebAssembly schema engine in a worker thread,
// so it always executes in a plain Node realm (also under Jest, whose sandbox
// realm breaks the engine's typed-array checks). Plain JS: no build step.
//
// workerData: { databaseUrl, datamodels: [path, content][], command, input, offlineServerVersion }
//   databaseUrl null: no database at all (schema-to-schema diffs), see offlineAdapterFactory.
// posts: { ok: true, result } | { ok: false, error: { message, code } }
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);

async function loadEngine() {
  globalThis.PRISMA_WASM_PANIC_REGISTRY = {
    set_message: (message) => (globalThis.lastSchemaEnginePanic = message),
  };
  // The package entry imports the .wasm as an ES module, which Node cannot; load the glue and instantiate by hand.
  const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const glue = await import(pathToFileURL(join(packageDir, 'schema_engine_bg.js')).href);
  const bytes = await readFile(join(packageDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

// Freeing the engine leaves its pg pool open (holding the migration advisory
// lock), so every adapter the engine opens is tracked and disposed.
function trackedAdapterFactory(databaseUrl) {
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const inner = new PrismaPg({ connectionString: databaseUrl });
  const opened = [];
  const track = async (connecting) => {
    const adapter = await connecting;
    opened.push(adapter);
    return adapter;
  };
  const factory = Object.create(inner);
  factory.connect = () => track(inner.connect());
  factory.connectToShadowDb = () => track(inner.connectToShadowDb());
  return {
    factory: bindMigrationAwareSqlAdapterFactory(factory),
    disposeAll: () => Promise.all(opened.map((a) => a.dispose())),
  };
}

// The engine opens a connection even for a schema-to-schema diff, only to ask
// the server's flavour and version (Postgres or CockroachDB). Offline, that one
// probe is answered with a declared Postgres version; any other statement fails
// loudly, so nothing can silently depend on a database that is not there.
const VERSION_PROBE = /version\(\)/;
const COLUMN_TYPE = { Int32: 0, Boolean: 5, Text: 7 };

function offlineAdapterFactory(serverVersionNum) {
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const major = Math.floor(serverVersionNum / 10000);
  const refuse = (what) => Promise.reject(new Error(`offline schema engine: no database for ${what}`));
  const queryRaw = async ({ sql }) => {
    if (!VERSION_PROBE.test(sql)) return refuse(sql);
    return {
      columnNames: ['exists', 'version', 'numeric_version'],
      columnTypes: [COLUMN_TYPE.Boolean, COLUMN_TYPE.Text, COLUMN_TYPE.Int32],
      rows: [[true, `PostgreSQL ${major}.0 (offline)`, serverVersionNum]],
    };
  };
  const connection = () => ({
    provider: 'postgres',
    adapterName: 'shop-offline',
    queryRaw,
    executeRaw: ({ sql }) => refuse(sql),
    executeScript: (script) => refuse(script),
    startTransaction: () => refuse('a transaction'),
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => undefined,
  });
  const factory = {
    provider: 'postgres',
    adapterName: 'shop-offline',
    connect: async () => connection(),
    connectToShadowDb: async () => connection(),
  };
  return { factory: bindMigrationAwareSqlAdapterFactory(factory), disposeAll: async () => undefined };
}

async function run({ databaseUrl, datamodels, command, input, offlineServerVersion }) {
  const glue = await loadEngine();
  const adapters =
    databaseUrl === null ? offlineAdapterFactory(offlineServerVersion) : trackedAdapterFactory(databaseUrl);
  const engine = await glue.SchemaEngine.new({ datamodels }, () => undefined, adapters.factory);
  try {
    return await engine[command](input);
  } finally {
    engine.free();
    await adapters.disposeAll();
  }
}

const fail = (err) =>
  parentPort.postMessage({ ok: false, error: { message: String(err?.message ?? err), code: err?.code } });
// A Rust panic surfaces as an uncaught "unreachable" error; report the panic message instead.
process.on('uncaughtException', (err) =>
  fail(
    globalThis.lastSchemaEnginePanic
      ? new Error(`Prisma schema engine panicked: ${globalThis.lastSchemaEnginePanic}`)
      : err,
  ),
);
run(workerData).then((result) => parentPort.postMessage({ ok: true, result }), fail);
