/**
 * Redis keys of a lock. The name sits in a hash tag ({...}) so the lock key
 * and its fencing counter map to one Redis Cluster slot, which a script
 * touching both requires.
 */
export function lockKeys(namespace: string, name: string): { lock: string; fence: string } {
  return { lock: `${namespace}:{${name}}`, fence: `${namespace}:{${name}}:fence` };
}
