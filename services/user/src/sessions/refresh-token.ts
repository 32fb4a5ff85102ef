import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: opaque to the client. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Only this is stored: a database leak yields no usable token. A fast hash
 * is right here (unlike passwords): the input is 256 random bits.
 */
export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
