import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, prismaSqlClient } from '@shop/persistence';
import { closeRedis, createRedis } from '@shop/redis';
import { databaseUrlOf } from '@shop/service-kit';
import type { UserConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';
import { ScryptPasswordHasher } from '../passwords/scrypt-password-hasher';
import { PRISMA, REDIS, SQL_CLIENT, USER_CONFIG, type RedisClient } from './tokens';

/** Closes the pools after everything else (Nest runs onApplicationShutdown last). */
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.prisma.$disconnect(), closeRedis(this.redis)]);
  }
}

/** The service's configuration and connections: Postgres through Prisma, Redis, the password hasher. */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: UserConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: USER_CONFIG, useValue: config },
        {
          provide: PRISMA,
          useFactory: () => createPrismaClient(PrismaClient, databaseUrlOf('user', config), { max: 10 }),
        },
        {
          provide: SQL_CLIENT,
          inject: [PRISMA],
          useFactory: (prisma: PrismaClient) => prismaSqlClient(prisma),
        },
        {
          provide: REDIS,
          useFactory: () => createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX }),
        },
        {
          provide: ScryptPasswordHasher,
          useValue: new ScryptPasswordHasher({
            logN: config.PASSWORD_SCRYPT_LOG_N,
            r: config.PASSWORD_SCRYPT_R,
            p: config.PASSWORD_SCRYPT_P,
          }),
        },
        ConnectionsCloser,
      ],
      exports: [USER_CONFIG, PRISMA, SQL_CLIENT, REDIS, ScryptPasswordHasher],
    };
  }
}
