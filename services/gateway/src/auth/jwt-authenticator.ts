import type { CallerIdentity } from '@shop/service-kit';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface JwtAuthenticatorOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Least time between two refetches triggered by an unknown `kid`. */
  cooldownMs: number;
  /** A JWKS older than this is refetched before use. */
  cacheMaxAgeMs: number;
  timeoutMs: number;
}

export type Authentication =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly identity: CallerIdentity }
  | { readonly kind: 'invalid'; readonly message: string }
  /** The keys could not be fetched (user service down): nobody can be verified right now. */
  | { readonly kind: 'keys-unavailable' };

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;
const ROLE = /^[a-z][a-z0-9_-]{0,63}$/;
const USER_ID = /^[\x21-\x7e]{1,256}$/;

/**
 * Verifies the access tokens of the user service (EdDSA, `typ: at+jwt`,
 * issuer and audience) against its JWKS. jose's remote key set caches the
 * keys, refetches them when they are older than `cacheMaxAgeMs`, and when a
 * token names a `kid` it does not hold (a key rotation), at most once per
 * `cooldownMs`.
 */
export class JwtAuthenticator {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: JwtAuthenticatorOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.cacheMaxAgeMs,
      timeoutDuration: options.timeoutMs,
    });
  }

  async authenticate(authorization: string | string[] | undefined): Promise<Authentication> {
    if (authorization === undefined) return { kind: 'anonymous' };
    const match = typeof authorization === 'string' ? BEARER.exec(authorization.trim()) : null;
    if (!match)
      return { kind: 'invalid', message: 'The Authorization header must be "Bearer <access token>"' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1] as string, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
      }));
    } catch (err) {
      if (err instanceof errors.JWKSTimeout || isFetchFailure(err)) return { kind: 'keys-unavailable' };
      if (err instanceof errors.JWTExpired)
        return { kind: 'invalid', message: 'The access token has expired' };
      return { kind: 'invalid', message: 'The access token is not valid' };
    }
    const roles = payload.roles;
    if (
      typeof payload.sub !== 'string' ||
      !USER_ID.test(payload.sub) ||
      !Array.isArray(roles) ||
      !roles.every((role): role is string => typeof role === 'string' && ROLE.test(role))
    ) {
      return { kind: 'invalid', message: 'The access token is not valid' };
    }
    return { kind: 'user', identity: { userId: payload.sub, roles } };
  }
}

/** jose reports an unreachable or failing JWKS endpoint as a plain fetch error or a JOSEError with an HTTP status. */
function isFetchFailure(err: unknown): boolean {
  if (err instanceof errors.JOSEError)
    return err.code === 'ERR_JOSE_GENERIC' && /status code/i.test(err.message);
  return err instanceof TypeError; // fetch failed (connection refused ...)
}
