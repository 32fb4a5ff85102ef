import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * Plays the user service's token side for gateway tests: Ed25519 keys, a
 * JWKS endpoint (a real HTTP server that counts its fetches), and access
 * tokens with the user service's claims (iss, aud, sub, roles, typ at+jwt).
 */
export class TokenIssuer {
  private readonly keys: SigningKey[] = [];
  private server: Server | undefined;
  jwksFetches = 0;
  jwksUrl = '';

  async start(): Promise<void> {
    await this.rotate();
    this.server = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
      this.jwksFetches += 1;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: this.keys.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  /** A new current key, published in the JWKS beside the old ones. */
  async rotate(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    this.keys.unshift({ kid, privateKey, publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } });
    return kid;
  }

  async token(
    claims: { sub: string; roles: string[] },
    options: {
      issuer?: string;
      audience?: string;
      expiresIn?: string;
      typ?: string;
      unpublishedKey?: boolean;
    } = {},
  ): Promise<string> {
    let key = this.keys[0]!;
    if (options.unpublishedKey) {
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      key = { ...key, privateKey };
    }
    return new SignJWT({ roles: claims.roles })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: options.typ ?? 'at+jwt' })
      .setSubject(claims.sub)
      .setIssuer(options.issuer ?? 'shop-user-service')
      .setAudience(options.audience ?? 'shop')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '15m')
      .setJti(crypto.randomUUID())
      .sign(key.privateKey);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
