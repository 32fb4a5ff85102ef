// The one entry point of every service image (infra/docker/Dockerfile):
//   node container.mjs start            runs dist/services/$SHOP_SERVICE/src/main.js (migrates on start)
//   node container.mjs health [ready]   exits 0 when GET /health/live (or /health/ready) answers 200
//   node container.mjs migrate          applies the service's pending migrations and exits (Kubernetes Job)
// Plain Node, no curl or shell needed. The port comes from PORT, else from the
// service catalog (libs/config), the same table the native stack uses.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const service = process.env.SHOP_SERVICE;
const [command = 'start', probe = 'live'] = process.argv.slice(2);

function fail(message) {
  console.error(message);
  process.exit(1);
}

if (!service) fail('SHOP_SERVICE is not set (the image is built with --build-arg SERVICE=<name>)');

function httpPort() {
  if (process.env.PORT) return Number(process.env.PORT);
  const { serviceDefinition } = require(join(root, 'dist/libs/config/src/index.js'));
  return serviceDefinition(service).httpPort;
}

async function health() {
  if (probe !== 'live' && probe !== 'ready') fail(`unknown probe '${probe}' (live or ready)`);
  try {
    const response = await fetch(`http://127.0.0.1:${httpPort()}/health/${probe}`, {
      signal: AbortSignal.timeout(2_500),
    });
    process.exit(response.status === 200 ? 0 : 1);
  } catch (err) {
    fail(`health/${probe}: ${err instanceof Error ? err.message : err}`);
  }
}

async function migrate() {
  const { migrateOnStart } = require(join(root, 'dist/libs/persistence/src/index.js'));
  await migrateOnStart(service);
}

switch (command) {
  case 'start':
    await import(pathToFileURL(join(root, 'dist/services', service, 'src/main.js')).href);
    break;
  case 'health':
    await health();
    break;
  case 'migrate':
    await migrate().then(
      () => process.exit(0),
      (err) => fail(err instanceof Error ? err.message : String(err)),
    );
    break;
  default:
    fail(`unknown command '${command}' (start, health [live|ready], migrate)`);
}
