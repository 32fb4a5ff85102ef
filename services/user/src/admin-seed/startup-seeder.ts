import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { UserConfig } from '../config';
import { normalizeEmail } from '../domain/email';
import type { PrismaClient } from '../generated/prisma/client';
import { PRISMA, USER_CONFIG } from '../infrastructure/tokens';
import { ScryptPasswordHasher } from '../passwords/scrypt-password-hasher';
import { AccountCreator } from '../register/account-creator';
import { assertStrongPassword } from '../register/register-user.handler';
import { AccessTokenSigner } from '../signing-keys/access-token-signer';
import { SigningKeyStore } from '../signing-keys/signing-key-store';

/**
 * What must exist before the first request: a signing key, and the admin
 * account from ADMIN_EMAIL / ADMIN_PASSWORD. Both idempotent: a restart (or a
 * second instance) finds them and changes nothing; in particular a changed
 * ADMIN_PASSWORD does not overwrite the password of an existing admin.
 */
@Injectable()
export class StartupSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('StartupSeeder');

  constructor(
    @Inject(USER_CONFIG) private readonly config: UserConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SigningKeyStore) private readonly keys: SigningKeyStore,
    @Inject(AccessTokenSigner) private readonly signer: AccessTokenSigner,
    @Inject(AccountCreator) private readonly accounts: AccountCreator,
    @Inject(ScryptPasswordHasher) private readonly hasher: ScryptPasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = await this.keys.ensureCurrentKey();
    this.signer.invalidate();
    const email = normalizeEmail(this.config.ADMIN_EMAIL);
    assertStrongPassword(this.config.ADMIN_PASSWORD, email, this.config.ADMIN_NAME);
    const exists = await this.prisma.user.count({ where: { email } });
    const admin = exists
      ? undefined
      : await this.accounts.createIfAbsent({
          email,
          name: this.config.ADMIN_NAME,
          passwordHash: await this.hasher.hash(this.config.ADMIN_PASSWORD),
          roles: ['customer', 'admin'],
        });
    this.logger.log(`signing key ${key.kid} current; admin ${email} ${admin ? 'created' : 'already exists'}`);
  }
}
