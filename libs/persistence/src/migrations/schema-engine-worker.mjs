// Runs one command of Prisma's WebAssembly schema engine in a worker thread,
// so it always executes in a plain Node realm (also under Jest, whose sandbox
// realm breaks the engine's typed-array checks). Plain JS: no build step.
//
// workerData: { databaseUrl, datamodels: [path, content][], command, input }
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

async function run({ databaseUrl, datamodels, command, input }) {
  const glue = await loadEngine();
  const adapters = trackedAdapterFactory(databaseUrl);
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
