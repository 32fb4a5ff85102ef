/**
 * Redis keys of one cache entry: the value, and the short-lived claim of the
 * process currently loading it. The entry key sits in a hash tag ({...}) so
 * both map to one Redis Cluster slot (the store script touches both), and a
 * prefix scan `namespace:{prefix*` finds values and claims alike. A value key
 * always ends with `}`, a claim key with `}:fill`, so the two never collide.
 */
export interface CacheEntryKeys {
  value: string;
  fill: string;
}

export function cacheEntryKeys(namespace: string, key: string): CacheEntryKeys {
  const value = `${namespace}:{${key}}`;
  return { value, fill: `${value}:fill` };
}

export function isValueKey(redisKey: string): boolean {
  return redisKey.endsWith('}');
}

/** SCAN MATCH pattern for every entry whose key starts with `prefix`, below the client's keyPrefix. */
export function entryPrefixPattern(clientKeyPrefix: string, namespace: string, prefix: string): string {
  return `${escapeGlob(`${clientKeyPrefix}${namespace}:{${prefix}`)}*`;
}

/** Escapes Redis glob metacharacters so `text` matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
