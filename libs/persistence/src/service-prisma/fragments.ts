/**
 * Library schema fragments: a library that owns tables (outbox, inbox, event
 * store) ships them as a Prisma file holding models only, e.g.
 * libs/messaging/prisma/outbox.prisma. A service includes it by listing its
 * package path in prisma/fragments.json:
 *
 *   ["@shop/messaging/prisma/outbox.prisma", "@shop/messaging/prisma/inbox.prisma"]
 *
 * Package paths resolve through the workspace links in node_modules, so a
 * service can only include fragments of libraries it depends on, and the list
 * survives moving folders around.
 */

/** Parses and checks the text of a fragments.json; `file` names it in errors. */
export function parseFragmentList(json: string, file: string): string[] {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
    throw new Error(
      `${file} must be a JSON array of package paths, e.g. ["@shop/messaging/prisma/outbox.prisma"]`,
    );
  }
  const seen = new Set<string>();
  for (const entry of list) {
    if (!isPackagePath(entry)) {
      throw new Error(
        `${file}: '${entry}' is not a package path to a .prisma file (like "@shop/messaging/prisma/outbox.prisma"); ` +
          `a service's own models belong in its prisma/ folder`,
      );
    }
    if (seen.has(entry)) throw new Error(`${file} lists '${entry}' twice`);
    seen.add(entry);
  }
  return list;
}

function isPackagePath(entry: string): boolean {
  return /^(@[\w.-]+\/)?[\w.-]+\/.+\.prisma$/.test(entry) && !entry.startsWith('.');
}

const BLOCK = /^\s*(datasource|generator)\s+\w+\s*\{/m;

/** A fragment must hold models (and enums, types) only: the service owns the datasource and generator. */
export function assertModelsOnly(label: string, content: string): void {
  const block = BLOCK.exec(content);
  if (block) {
    throw new Error(
      `Schema fragment ${label} declares a ${block[1]} block; fragments hold models only (the service's schema.prisma declares ${block[1]}s)`,
    );
  }
}
