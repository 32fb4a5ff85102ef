import { Inject, Injectable } from '@nestjs/common';
import { uuidv7 } from '@shop/contracts';
import type { UserConfig } from '../config';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { PRISMA, USER_CONFIG } from '../infrastructure/tokens';
import { AccessTokenSigner } from '../signing-keys/access-token-signer';
import { newRefreshToken, refreshTokenHash } from './refresh-token';

/** The answer of login and refresh. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

type Db = Pick<PrismaClient, 'refreshToken'> | Prisma.TransactionClient;

/** Issues an access token and a refresh token of a token family (a new family per login). */
@Injectable()
export class SessionIssuer {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(AccessTokenSigner) private readonly signer: AccessTokenSigner,
    @Inject(USER_CONFIG) private readonly config: UserConfig,
  ) {}

  async issue(
    user: { id: string; roles: string[] },
    familyId = uuidv7(),
    db: Db = this.prisma,
  ): Promise<TokenPair> {
    const refreshToken = newRefreshToken();
    await db.refreshToken.create({
      data: {
        id: uuidv7(),
        tokenHash: refreshTokenHash(refreshToken),
        userId: user.id,
        familyId,
        expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      },
    });
    const access = await this.signer.sign({ userId: user.id, roles: user.roles });
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn, tokenType: 'Bearer' };
  }
}
