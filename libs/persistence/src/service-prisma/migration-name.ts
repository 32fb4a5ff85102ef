/** Prisma's migration folder naming: `<yyyyMMddHHmmss UTC>_<snake_case_name>`. */
const FOLDER = /^(\d{14})_/;

export function migrationSlug(name: string): string {
  const slug = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug)
    throw new Error(`'${name}' is not a usable migration name: use letters and digits, e.g. add_order_index`);
  return slug;
}

export function migrationTimestamp(at: Date): string {
  return at.toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * The folder name of a new migration made at `now`. Always sorts after the
 * existing folders (which the engine applies in name order), even when two
 * are made within one second or the clock is behind the latest one.
 */
export function nextMigrationFolder(name: string, existing: readonly string[], now: Date): string {
  const latest = existing
    .map((folder) => FOLDER.exec(folder)?.[1])
    .filter((ts): ts is string => ts !== undefined)
    .sort()
    .at(-1);
  let at = now;
  if (latest && migrationTimestamp(at) <= latest) at = new Date(parseTimestamp(latest).getTime() + 1000);
  return `${migrationTimestamp(at)}_${migrationSlug(name)}`;
}

function parseTimestamp(ts: string): Date {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(ts.slice(at, at + (i ? 2 : 4))));
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}
