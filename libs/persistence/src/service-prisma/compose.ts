import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaFile } from '../migrations';
import { assertModelsOnly, parseFragmentList } from './fragments';
import { prismaLayout, workspaceRoot } from './layout';

/** One file of a service's composed schema. */
export interface ServiceSchemaFile extends SchemaFile {
  /** `schema.prisma` for the service's own files, the package path for fragments. */
  path: string;
  /** Absolute path of the file it was read from. */
  source: string;
}

/**
 * The full schema of a service: its own `*.prisma` files in prisma/
 * (schema.prisma first) followed by the library fragments listed in
 * prisma/fragments.json, in listed order. What migrations are made from and
 * what `prisma generate` sees.
 */
export function resolveServiceSchema(prismaDir: string): ServiceSchemaFile[] {
  const layout = prismaLayout(prismaDir);
  if (!existsSync(layout.schemaFile)) {
    throw new Error(`${layout.schemaFile} is missing: a service's Prisma folder starts with schema.prisma`);
  }
  const own = readdirSync(prismaDir)
    .filter((name) => name.endsWith('.prisma'))
    .sort((a, b) => (a === 'schema.prisma' ? -1 : b === 'schema.prisma' ? 1 : a.localeCompare(b)))
    .map((name) => readSchemaFile(name, join(prismaDir, name)));
  const fragments = fragmentPaths(prismaDir).map((packagePath) => {
    const file = readSchemaFile(packagePath, resolveFragment(packagePath, prismaDir));
    assertModelsOnly(packagePath, file.content);
    return file;
  });
  return [...own, ...fragments];
}

/** The package paths listed in prisma/fragments.json (none when the file is absent). */
export function fragmentPaths(prismaDir: string): string[] {
  const { fragmentsFile } = prismaLayout(prismaDir);
  return existsSync(fragmentsFile)
    ? parseFragmentList(readFileSync(fragmentsFile, 'utf8'), fragmentsFile)
    : [];
}

/**
 * Resolves a fragment's package path the way Node resolves modules, from the
 * service's folder, then from the workspace root (for copies of a service
 * outside the tree, as in tests).
 */
function resolveFragment(packagePath: string, prismaDir: string): string {
  try {
    return require.resolve(packagePath, { paths: [prismaDir, workspaceRoot()] });
  } catch {
    throw new Error(
      `Schema fragment '${packagePath}' (listed in ${prismaLayout(prismaDir).fragmentsFile}) was not found: ` +
        `is its package a dependency of the service, and does the file exist?`,
    );
  }
}

function readSchemaFile(path: string, source: string): ServiceSchemaFile {
  return { path, source, content: readFileSync(source, 'utf8') };
}
