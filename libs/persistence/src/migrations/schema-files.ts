import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { SchemaFile } from './schema-engine';

const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n';

/**
 * Reads Prisma schema files (a service's schema plus the fragments of the
 * libraries it uses, e.g. the outbox tables) as one datamodel. A datasource
 * block is added when none of the files declares one, so library fragments
 * can hold models only.
 */
export function readSchemaFiles(paths: readonly string[]): SchemaFile[] {
  const files = paths.map((path) => ({ path: basename(path), content: readFileSync(path, 'utf8') }));
  if (!files.some((f) => /^\s*datasource\s+\w+\s*\{/m.test(f.content))) {
    files.unshift({ path: 'datasource.prisma', content: DATASOURCE });
  }
  return files;
}
