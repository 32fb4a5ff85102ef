/** Take a snapshot every `every` events (0 = never). */
export interface SnapshotPolicy {
  every: number;
}

export const NEVER_SNAPSHOT: SnapshotPolicy = { every: 0 };

export function snapshotPolicy(every: number): SnapshotPolicy {
  if (!Number.isSafeInteger(every) || every < 0)
    throw new RangeError(`snapshot interval must be an integer >= 0 (got ${every})`);
  return { every };
}

/**
 * Whether an append that took a stream from `fromVersion` to `toVersion`
 * crossed a multiple of the interval: with every=10, 9 -> 12 is due (the
 * snapshot is taken at 12), 10 -> 19 is not. Batches never skip a snapshot.
 */
export function isSnapshotDue(policy: SnapshotPolicy, fromVersion: number, toVersion: number): boolean {
  if (policy.every === 0 || toVersion <= fromVersion) return false;
  return Math.floor(toVersion / policy.every) > Math.floor(fromVersion / policy.every);
}
