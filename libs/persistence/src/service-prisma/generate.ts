import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { resolveServiceSchema } from './compose';
import { absoluteGeneratorOutputs, generatorOutputs } from './generator-output';

const run = promisify(execFile);

export interface GeneratePrismaClientOptions {
  /** The service's prisma/ folder. */
  prismaDir: string;
  /** Absolute folder to generate into instead of the generator's `output` (tests). */
  output?: string;
}

export interface GeneratedPrismaClient {
  /** Absolute folders the client was generated into. */
  outputs: string[];
  /** What the Prisma CLI printed. */
  log: string;
}

/**
 * Runs `prisma generate` on a service's composed schema (its own files plus
 * library fragments), offline. The CLI reads a multi-file schema from one
 * folder, so the composed files are written to a temporary folder, with each
 * generator's relative `output` made absolute so the client still lands where
 * the service's schema.prisma says.
 */
export async function generatePrismaClient(
  options: GeneratePrismaClientOptions,
): Promise<GeneratedPrismaClient> {
  const files = resolveServiceSchema(options.prismaDir);
  const schemaDir = mkdtempSync(join(tmpdir(), 'shop-prisma-schema-'));
  try {
    const outputs: string[] = [];
    for (const file of files) {
      const content = absoluteGeneratorOutputs(file.content, dirname(file.source), options.output);
      outputs.push(...generatorOutputs(content));
      const target = join(schemaDir, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    const log = await runPrismaCli(['generate', '--schema', schemaDir, '--no-hints'], schemaDir);
    return { outputs, log };
  } finally {
    rmSync(schemaDir, { recursive: true, force: true });
  }
}

const PRISMA_CLI = require.resolve('prisma/build/index.js');

async function runPrismaCli(args: string[], cwd: string): Promise<string> {
  const env = {
    ...process.env,
    // Prisma 7's CLI insists on a schema-engine binary it would download (this
    // machine cannot); `generate` never runs it, so any existing file will do.
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? PRISMA_CLI,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  try {
    // cwd is the temporary schema folder, so no prisma.config.ts of the workspace is picked up.
    const { stdout, stderr } = await run(process.execPath, [PRISMA_CLI, ...args], { cwd, env });
    return `${stdout}${stderr}`;
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`prisma ${args.join(' ')} failed:\n${stdout}${stderr}`, { cause: err });
  }
}
