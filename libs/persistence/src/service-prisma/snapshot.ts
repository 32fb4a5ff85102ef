import type { SchemaFile } from '../migrations';
import { SNAPSHOT_FILE } from './layout';

/**
 * The schema snapshot: the composed schema (service files + fragments) the
 * latest migration was made from, as one file in migrations/. The next
 * migration is the diff from it to the current composed schema, so migrations
 * are created with no database (no shadow database, no introspection).
 *
 * One file for the whole folder, not one per migration: two branches that
 * both add a migration both change it, so git reports the clash at merge time
 * (redo the later migration) instead of letting a stale snapshot produce a
 * migration that repeats the other branch's changes.
 */
const HEADER =
  '// Composed Prisma schema of this service at its latest migration.\n' +
  '// Written by createMigration (npm run db:migrate:create); do not edit by hand.\n';

export function renderSnapshot(files: readonly SchemaFile[]): string {
  const sections = files.map((file) => `// ---- ${file.path} ----\n${file.content.trimEnd()}\n`);
  return `${HEADER}\n${sections.join('\n')}`;
}

export function snapshotSchemaFile(content: string): SchemaFile {
  return { path: SNAPSHOT_FILE, content };
}
