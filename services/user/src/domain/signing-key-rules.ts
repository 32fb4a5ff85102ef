/** A signing key as far as publication is concerned. */
export interface SigningKeyLifetime {
  kid: string;
  createdAt: Date;
  /** When a newer key took over signing; null for the current key. */
  retiredAt: Date | null;
}

/**
 * Keys the JWKS must still publish: the current one and every retired key
 * whose last token may not have expired yet (retired less than one access
 * token lifetime plus clock skew ago). Newest first.
 */
export function keysToPublish<K extends SigningKeyLifetime>(
  keys: readonly K[],
  now: Date,
  accessTokenTtlMs: number,
  clockSkewMs: number,
): K[] {
  const oldestUseful = now.getTime() - accessTokenTtlMs - clockSkewMs;
  return keys
    .filter((key) => key.retiredAt === null || key.retiredAt.getTime() > oldestUseful)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** The key that signs now: the newest one not retired. */
export function currentKey<K extends SigningKeyLifetime>(keys: readonly K[]): K | undefined {
  return keys
    .filter((key) => key.retiredAt === null)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
}
