/** What the store knows about a presented refresh token. */
export interface StoredRefreshToken {
  expiresAt: Date;
  revokedAt: Date | null;
}

/**
 * Rotation: a refresh token is good for one refresh. A token that was
 * already revoked (rotated, logged out) being presented again means it
 * leaked or a client replays it: the whole family (every token descended
 * from the same login) is revoked, so the thief's copy dies too.
 */
export type RefreshDecision = 'rotate' | 'unknown' | 'expired' | 'reused';

export function refreshDecision(token: StoredRefreshToken | undefined, now: Date): RefreshDecision {
  if (!token) return 'unknown';
  if (token.revokedAt) return 'reused';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'rotate';
}
