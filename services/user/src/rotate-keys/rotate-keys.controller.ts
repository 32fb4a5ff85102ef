import { Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { CurrentUser, RolesGuard, type CallerIdentity } from '@shop/service-kit';
import { AccessTokenSigner } from '../signing-keys/access-token-signer';
import { SigningKeyStore } from '../signing-keys/signing-key-store';

export interface RotationResult {
  /** Signs every token from now on. */
  kid: string;
  /** Still published until the tokens it signed have expired. */
  retiredKid: string | null;
  rotatedBy: string;
}

/** Admin-triggered signing key rotation: nobody is logged out, old tokens keep verifying. */
@Controller('admin/keys')
export class RotateKeysController {
  constructor(
    @Inject(SigningKeyStore) private readonly keys: SigningKeyStore,
    @Inject(AccessTokenSigner) private readonly signer: AccessTokenSigner,
  ) {}

  @Post('rotate')
  @HttpCode(200)
  @UseGuards(RolesGuard('admin'))
  async rotate(@CurrentUser() caller: CallerIdentity): Promise<RotationResult> {
    const { current, retired } = await this.keys.rotate();
    this.signer.invalidate();
    return { kid: current.kid, retiredKid: retired ?? null, rotatedBy: caller.userId };
  }
}
