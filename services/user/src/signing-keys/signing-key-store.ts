import { generateKeyPair as generateKeyPairCallback, type JsonWebKey } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { calculateJwkThumbprint } from 'jose';
import type { UserConfig } from '../config';
import { currentKey, keysToPublish } from '../domain/signing-key-rules';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { PRISMA, USER_CONFIG } from '../infrastructure/tokens';
import { PrivateKeyEncryption } from './private-key-encryption';

const generateKeyPair = promisify(generateKeyPairCallback);

export const SIGNING_ALGORITHM = 'EdDSA';
/** Tokens are accepted this long past `exp` by lenient verifiers; retired keys stay published that much longer. */
export const CLOCK_SKEW_MS = 60_000;
/** Serializes key creation and rotation across instances. */
const KEY_LOCK = 'user.signing-keys';

/** A public key as published in the JWKS. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: string;
  use: 'sig';
}

export interface SigningKeyRow {
  kid: string;
  createdAt: Date;
  retiredAt: Date | null;
  publicJwk: PublicJwk;
  privateKeyEncrypted: string;
}

/**
 * Ed25519 signing keys in the service's database: one current key signs,
 * retired keys stay published until their last token has expired, private
 * keys are encrypted at rest.
 */
@Injectable()
export class SigningKeyStore {
  private readonly encryption: PrivateKeyEncryption;
  private readonly accessTokenTtlMs: number;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(USER_CONFIG) config: UserConfig,
  ) {
    this.encryption = new PrivateKeyEncryption(config.KEY_ENCRYPTION_SECRET);
    this.accessTokenTtlMs = config.ACCESS_TOKEN_TTL_SECONDS * 1000;
  }

  /** Creates the first key if there is none (idempotent, safe with concurrent instances). */
  async ensureCurrentKey(): Promise<SigningKeyRow> {
    return this.underKeyLock(async (tx) => {
      const current = currentKey(await this.allKeys(tx));
      return current ?? this.insertNewKey(tx);
    });
  }

  /** Retires the current key and makes a new one current; the old one stays published. */
  async rotate(): Promise<{ current: SigningKeyRow; retired: string | undefined }> {
    return this.underKeyLock(async (tx) => {
      const previous = currentKey(await this.allKeys(tx));
      if (previous) {
        await tx.signingKey.update({ where: { kid: previous.kid }, data: { retiredAt: new Date() } });
      }
      return { current: await this.insertNewKey(tx), retired: previous?.kid };
    });
  }

  async current(): Promise<SigningKeyRow | undefined> {
    return currentKey(await this.allKeys(this.prisma));
  }

  /** The public keys a verifier may need now: the JWKS. */
  async publishedKeys(now = new Date()): Promise<PublicJwk[]> {
    const keys = keysToPublish(await this.allKeys(this.prisma), now, this.accessTokenTtlMs, CLOCK_SKEW_MS);
    return keys.map((key) => key.publicJwk);
  }

  /** The decrypted PKCS#8 (DER) private key of a row. */
  privateKeyOf(key: SigningKeyRow): Buffer {
    return this.encryption.decrypt(key.privateKeyEncrypted, key.kid);
  }

  private async allKeys(db: Pick<PrismaClient, 'signingKey'>): Promise<SigningKeyRow[]> {
    const rows = await db.signingKey.findMany({ orderBy: { createdAt: 'desc' } });
    return rows.map((row) => ({ ...row, publicJwk: row.publicJwk as unknown as PublicJwk }));
  }

  private async insertNewKey(tx: Transaction): Promise<SigningKeyRow> {
    const { publicKey, privateKey } = await generateKeyPair('ed25519');
    const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey & { crv: string; x: string };
    const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: jwk.crv, x: jwk.x });
    const publicJwk: PublicJwk = {
      kty: 'OKP',
      crv: jwk.crv,
      x: jwk.x,
      kid,
      alg: SIGNING_ALGORITHM,
      use: 'sig',
    };
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const row = await tx.signingKey.create({
      data: {
        kid,
        algorithm: SIGNING_ALGORITHM,
        publicJwk: { ...publicJwk },
        privateKeyEncrypted: this.encryption.encrypt(der, kid),
      },
    });
    return { ...row, publicJwk };
  }

  private underKeyLock<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${KEY_LOCK}))::text`;
      return work(tx);
    });
  }
}

type Transaction = Prisma.TransactionClient;
