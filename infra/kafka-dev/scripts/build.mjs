// Compiles the dev broker launcher (native/kafka_dev_broker.c) against
// librdkafka. Rebuilds only when the source is newer than the binary.
// Usage: node infra/kafka-dev/scripts/build.mjs [--force]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'kafka_dev_broker.c');
const binary = join(root, 'bin', 'kafka-dev-broker');

function fail(message) {
  console.error(`kafka-dev build: ${message}`);
  process.exit(1);
}

const upToDate =
  existsSync(binary) &&
  statSync(binary).mtimeMs >= statSync(source).mtimeMs &&
  !process.argv.includes('--force');
if (!upToDate) {
  let flags;
  try {
    flags = execFileSync('pkg-config', ['--cflags', '--libs', 'rdkafka'], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
  } catch {
    fail(
      'librdkafka development files not found. Install them: apt-get install -y librdkafka-dev pkg-config gcc',
    );
  }
  mkdirSync(dirname(binary), { recursive: true });
  const cc = process.env.CC ?? 'cc';
  try {
    execFileSync(cc, ['-O2', '-Wall', '-Wextra', '-o', binary, source, ...flags], { stdio: 'inherit' });
  } catch {
    fail(`compiling ${source} with ${cc} failed (see above)`);
  }
  console.log(`kafka-dev build: built ${binary}`);
}
