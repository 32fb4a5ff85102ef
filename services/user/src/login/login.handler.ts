import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@shop/contracts';
import type { PrismaClient } from '../generated/prisma/client';
import { PRISMA } from '../infrastructure/tokens';
import { ScryptPasswordHasher } from '../passwords/scrypt-password-hasher';
import { SessionIssuer, type TokenPair } from '../sessions/session-issuer';
import { LoginThrottle } from './login-throttle';
import type { LoginRequest } from './login.dto';

/** Thrown when the client must wait: the controller adds Retry-After. */
export class LoginThrottledError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many failed logins; try again later', { retryAfterSeconds });
  }
}

/**
 * Login: throttle check first (a blocked caller gets 429 even with the
 * right password, and no hashing work), then the password check. Unknown
 * emails cost the same hashing time and count as failures like wrong
 * passwords, so neither timing nor the limiter tells which accounts exist.
 */
@Injectable()
export class LoginHandler {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(ScryptPasswordHasher) private readonly hasher: ScryptPasswordHasher,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(SessionIssuer) private readonly sessions: SessionIssuer,
  ) {}

  async login(request: LoginRequest, clientAddress: string): Promise<TokenPair> {
    const decision = await this.throttle.check(request.email, clientAddress);
    if (!decision.allowed) throw new LoginThrottledError(decision.retryAfterSeconds);

    const user = await this.prisma.user.findUnique({ where: { email: request.email } });
    const check = user
      ? await this.hasher.verify(request.password, user.passwordHash)
      : await this.hasher.burnEquivalentTime(request.password).then(() => ({ matches: false as const }));
    if (!user || !check.matches) {
      await this.throttle.recordFailure(request.email, clientAddress);
      throw new ApiError('UNAUTHORIZED', 'Email or password is wrong');
    }

    await this.throttle.recordSuccess(request.email);
    if (check.needsRehash) {
      const passwordHash = await this.hasher.hash(request.password);
      await this.prisma.user.update({ where: { id: user.id }, data: { passwordHash } });
    }
    return this.sessions.issue(user);
  }
}
