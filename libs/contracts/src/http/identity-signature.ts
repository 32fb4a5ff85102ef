import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The headers through which the gateway tells a service who the caller is.
 * The gateway authenticates the client (JWT), strips any of these headers the
 * client sent, and sets all three; services trust them only when the
 * signature (HMAC-SHA256 over id and roles, with IDENTITY_HMAC_SECRET) holds,
 * so a client reaching a service around the gateway cannot claim an identity.
 */
export const IDENTITY_HEADERS = {
  userId: 'x-shop-user-id',
  roles: 'x-shop-user-roles',
  signature: 'x-shop-identity-signature',
} as const;

export type IdentityHeaderName = (typeof IDENTITY_HEADERS)[keyof typeof IDENTITY_HEADERS];
export type SignedIdentityHeaders = Record<IdentityHeaderName, string>;

/** Shorter secrets are refused: the HMAC is only as strong as the secret. */
export const MIN_IDENTITY_SECRET_LENGTH = 32;

export interface CallerIdentity {
  readonly userId: string;
  readonly roles: readonly string[];
}

export type IdentityVerification =
  { ok: true; identity: CallerIdentity } | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' };

type IncomingHeaders = Record<string, string | string[] | undefined>;

const USER_ID = /^[\x21-\x7e]{1,256}$/; // printable ASCII, no spaces
const ROLE = /^[a-z][a-z0-9_-]{0,63}$/;

/** The three headers for this identity (the gateway sets them on every proxied request). */
export function signIdentity(identity: CallerIdentity, secret: string): SignedIdentityHeaders {
  assertIdentitySecret(secret);
  if (!USER_ID.test(identity.userId)) throw new Error(`Cannot sign user id '${identity.userId}'`);
  const badRole = identity.roles.find((role) => !ROLE.test(role));
  if (badRole !== undefined) throw new Error(`Cannot sign role '${badRole}' (lowercase a-z, 0-9, _ and -)`);
  const roles = identity.roles.join(',');
  return {
    [IDENTITY_HEADERS.userId]: identity.userId,
    [IDENTITY_HEADERS.roles]: roles,
    [IDENTITY_HEADERS.signature]: signature(identity.userId, roles, secret),
  };
}

/** The caller these request headers prove, or why they prove none. */
export function verifyIdentity(headers: IncomingHeaders, secret: string): IdentityVerification {
  assertIdentitySecret(secret);
  const userId = headers[IDENTITY_HEADERS.userId];
  const roles = headers[IDENTITY_HEADERS.roles] ?? '';
  const signed = headers[IDENTITY_HEADERS.signature];
  if (userId === undefined && signed === undefined) return { ok: false, reason: 'missing' };
  if (typeof userId !== 'string' || typeof roles !== 'string' || typeof signed !== 'string') {
    return { ok: false, reason: 'malformed' }; // absent, or repeated
  }
  if (!sameSignature(signed, signature(userId, roles, secret))) return { ok: false, reason: 'bad-signature' };
  const roleList = roles === '' ? [] : roles.split(',');
  if (!USER_ID.test(userId) || !roleList.every((role) => ROLE.test(role))) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, identity: { userId, roles: roleList } };
}

export function assertIdentitySecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < MIN_IDENTITY_SECRET_LENGTH) {
    throw new Error(`The identity HMAC secret must be at least ${MIN_IDENTITY_SECRET_LENGTH} characters`);
  }
}

function signature(userId: string, roles: string, secret: string): string {
  // Versioned and newline-separated: neither field can contain a newline, so no two pairs sign alike.
  return createHmac('sha256', secret).update(`shop-identity-v1\n${userId}\n${roles}`).digest('base64url');
}

function sameSignature(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
