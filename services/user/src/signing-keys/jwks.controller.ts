import { Controller, Get, Header, Inject } from '@nestjs/common';
import { SigningKeyStore, type PublicJwk } from './signing-key-store';

/**
 * The public keys that verify access tokens. The gateway reads them with
 * jose's createRemoteJWKSet, which refetches when it meets an unknown kid.
 */
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(SigningKeyStore) private readonly keys: SigningKeyStore) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=60')
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: await this.keys.publishedKeys() };
  }
}
