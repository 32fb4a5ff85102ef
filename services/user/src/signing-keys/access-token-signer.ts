import { webcrypto } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import type { UserConfig } from '../config';
import { USER_CONFIG } from '../infrastructure/tokens';
import { SIGNING_ALGORITHM, SigningKeyStore } from './signing-key-store';

/** What the gateway needs to know about the caller; see README "Access tokens". */
export interface AccessTokenSubject {
  userId: string;
  roles: readonly string[];
}

export interface SignedAccessToken {
  token: string;
  kid: string;
  expiresIn: number;
}

/** How long an instance keeps signing with the key it loaded before it looks for a newer one. */
const CURRENT_KEY_REFRESH_MS = 5_000;

interface LoadedKey {
  kid: string;
  privateKey: webcrypto.CryptoKey;
  loadedAt: number;
}

/**
 * Signs access tokens (EdDSA over Ed25519, `kid` in the header) with the
 * current key. The key is loaded from the store and cached briefly, so a
 * rotation on any instance reaches every instance within seconds.
 */
@Injectable()
export class AccessTokenSigner {
  private loaded: Promise<LoadedKey> | undefined;

  constructor(
    @Inject(SigningKeyStore) private readonly keys: SigningKeyStore,
    @Inject(USER_CONFIG) private readonly config: UserConfig,
  ) {}

  async sign(subject: AccessTokenSubject): Promise<SignedAccessToken> {
    const key = await this.currentKey();
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ roles: [...subject.roles] })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setSubject(subject.userId)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${expiresIn}s`)
      .setJti(crypto.randomUUID())
      .sign(key.privateKey);
    return { token, kid: key.kid, expiresIn };
  }

  /** Forget the cached key (after a rotation in this instance). */
  invalidate(): void {
    this.loaded = undefined;
  }

  private async currentKey(): Promise<LoadedKey> {
    const cached = this.loaded;
    if (cached) {
      const key = await cached.catch(() => undefined);
      if (key && Date.now() - key.loadedAt < CURRENT_KEY_REFRESH_MS) return key;
      if (this.loaded === cached) this.loaded = undefined;
    }
    this.loaded ??= this.load();
    return this.loaded;
  }

  private async load(): Promise<LoadedKey> {
    const current = (await this.keys.current()) ?? (await this.keys.ensureCurrentKey());
    const privateKey = await webcrypto.subtle.importKey(
      'pkcs8',
      this.keys.privateKeyOf(current),
      { name: 'Ed25519' },
      false,
      ['sign'],
    );
    return { kid: current.kid, privateKey, loadedAt: Date.now() };
  }
}
