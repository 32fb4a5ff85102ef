import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@shop/contracts';
import { refreshDecision, type RefreshDecision } from '../domain/refresh-token-rules';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { PRISMA } from '../infrastructure/tokens';
import { refreshTokenHash } from '../sessions/refresh-token';
import { SessionIssuer, type TokenPair } from '../sessions/session-issuer';

const REJECTION: Record<Exclude<RefreshDecision, 'rotate'>, string> = {
  unknown: 'The refresh token is not valid',
  expired: 'The refresh token has expired',
  reused: 'The refresh token was already used or revoked; the session has been ended',
};

type RefreshOutcome = { rejected: Exclude<RefreshDecision, 'rotate'> } | { pair: TokenPair };

interface LockedToken {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  revoked_at: Date | null;
}

/**
 * Refresh with rotation, in one transaction holding the token's row lock:
 * two concurrent refreshes with one token cannot both succeed (the second
 * sees it revoked and is treated as reuse).
 */
@Injectable()
export class RefreshSessionHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
  ) {}

  async refresh(refreshToken: string): Promise<TokenPair> {
    // The transaction commits a family revocation before the 401 leaves.
    const outcome = await this.prisma.$transaction(async (tx): Promise<RefreshOutcome> => {
      const token = await lockToken(tx, refreshToken);
      const decision = refreshDecision(
        token && { expiresAt: token.expires_at, revokedAt: token.revoked_at },
        new Date(),
      );
      if (decision === 'reused') await revokeFamily(tx, token!.family_id, 'reuse-detected');
      if (decision !== 'rotate') return { rejected: decision };
      await tx.refreshToken.update({
        where: { id: token!.id },
        data: { revokedAt: new Date(), revokedWhy: 'rotated' },
      });
      const user = await tx.user.findUniqueOrThrow({ where: { id: token!.user_id } });
      return { pair: await this.sessions.issue(user, token!.family_id, tx) };
    });
    if ('rejected' in outcome) throw new ApiError('UNAUTHORIZED', REJECTION[outcome.rejected]);
    return outcome.pair;
  }

  /** Logout: ends the session the token belongs to (its whole family). Unknown tokens are ignored. */
  async revoke(refreshToken: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const token = await lockToken(tx, refreshToken);
      if (token) await revokeFamily(tx, token.family_id, 'logout');
    });
  }
}

async function lockToken(
  tx: Prisma.TransactionClient,
  refreshToken: string,
): Promise<LockedToken | undefined> {
  const [row] = await tx.$queryRaw<LockedToken[]>`
    SELECT id::text, user_id::text, family_id::text, expires_at, revoked_at
    FROM refresh_tokens WHERE token_hash = ${refreshTokenHash(refreshToken)}
    FOR UPDATE`;
  return row;
}

async function revokeFamily(tx: Prisma.TransactionClient, familyId: string, why: string): Promise<void> {
  await tx.refreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: new Date(), revokedWhy: why },
  });
}
