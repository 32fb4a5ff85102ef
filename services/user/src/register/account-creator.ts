import { Inject, Injectable } from '@nestjs/common';
import { UserRegisteredV1, uuidv7, type UserRole } from '@shop/contracts';
import { OutboxWriter } from '@shop/messaging';
import { prismaSqlExecutor } from '@shop/persistence';
import { SERVICE_NAME } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import { PRISMA } from '../infrastructure/tokens';

export interface NewAccount {
  /** Normalized. */
  email: string;
  name: string;
  passwordHash: string;
  roles: readonly UserRole[];
}

export interface Account {
  id: string;
  email: string;
  name: string;
  roles: UserRole[];
  createdAt: Date;
}

/**
 * Creates an account and its UserRegistered event in one transaction (the
 * outbox relay publishes the event), or nothing when the email is taken:
 * the insert skips on the unique email, so concurrent registrations and
 * several instances seeding the admin at once create one account, one event.
 */
@Injectable()
export class AccountCreator {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async createIfAbsent(account: NewAccount): Promise<Account | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const id = uuidv7();
      const [created] = await tx.$queryRaw<{ created_at: Date }[]>`
        INSERT INTO users (id, email, name, password_hash, roles)
        VALUES (${id}::uuid, ${account.email}, ${account.name}, ${account.passwordHash}, ${[...account.roles]}::text[])
        ON CONFLICT (email) DO NOTHING
        RETURNING created_at`;
      if (!created) return undefined;
      const result: Account = {
        id,
        email: account.email,
        name: account.name,
        roles: [...account.roles],
        createdAt: created.created_at,
      };
      await this.outbox.enqueue(
        prismaSqlExecutor(tx),
        UserRegisteredV1.create({
          source: SERVICE_NAME,
          aggregateId: id,
          aggregateVersion: 1,
          payload: {
            userId: id,
            email: result.email,
            name: result.name,
            roles: result.roles,
            registeredAt: result.createdAt.toISOString(),
          },
        }),
      );
      return result;
    });
  }
}
