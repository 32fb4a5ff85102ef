import { randomBytes } from 'node:crypto';

/**
 * A name that is unique per call and safe as a Postgres identifier, Kafka
 * topic or Redis key part: `<prefix>_<label>_<time>_<random>`. The time part
 * lets cleanup find leftovers of crashed runs by age.
 */
export function uniqueName(prefix: string, label: string): string {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
  return `${prefix}_${safeLabel}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Creation time encoded by uniqueName, or undefined for other names. */
export function createdAt(name: string): number | undefined {
  const parts = name.split('_');
  if (parts.length < 4) return undefined;
  const time = parseInt(parts[parts.length - 2]!, 36);
  return Number.isFinite(time) ? time : undefined;
}
