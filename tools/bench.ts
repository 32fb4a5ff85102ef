/**
 * `npm run bench`: runs every `bench/*.bench.ts` of the libs, the services and e2e/,
 * one process each, on the same shared infrastructure the integration tests
 * use (local Postgres and Redis, a Kafka dev broker), and prints their
 * figures. Record results in docs/benchmarks.md with machine, date and command.
 *   npm run bench                 # all benchmarks
 *   npm run bench -- event-store  # those whose path contains "event-store"
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import globalSetup, { globalTeardown } from '../libs/testing/src/global-setup';
import { machineDescription } from '../libs/testing/src/bench';

const root = join(__dirname, '..');

function benchFiles(): string[] {
  const files: string[] = [];
  for (const group of ['libs', 'services']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const project of readdirSync(groupDir)) {
      const benchDir = join(groupDir, project, 'bench');
      if (!existsSync(benchDir)) continue;
      for (const f of readdirSync(benchDir))
        if (f.endsWith('.bench.ts')) files.push(join(group, project, 'bench', f));
    }
  }
  const e2eBench = join(root, 'e2e', 'bench');
  if (existsSync(e2eBench))
    for (const f of readdirSync(e2eBench)) if (f.endsWith('.bench.ts')) files.push(join('e2e', 'bench', f));
  return files.sort();
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = benchFiles().filter((f) => !filter || f.includes(filter));
  console.log(`# Benchmarks\n\nmachine: ${machineDescription()}\ndate: ${new Date().toISOString()}\n`);
  await globalSetup();
  try {
    for (const file of files) {
      console.log(`<!-- ${file} -->`);
      execFileSync(process.execPath, ['--require', join(root, 'tools/register.cjs'), join(root, file)], {
        stdio: 'inherit',
        env: process.env,
      });
    }
  } finally {
    await globalTeardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
