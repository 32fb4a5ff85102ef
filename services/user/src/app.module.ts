import { Module, type DynamicModule } from '@nestjs/common';
import { MessageRegistry, USER_MESSAGES } from '@shop/contracts';
import { MessagingModule } from '@shop/messaging/nest';
import type { SqlClient } from '@shop/persistence';
import { postgresCheck, redisCheck } from '@shop/health';
import { ServiceKitModule } from '@shop/service-kit';
import { StartupSeeder } from './admin-seed/startup-seeder';
import { SERVICE_NAME, type UserConfig } from './config';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { REDIS, SQL_CLIENT, type RedisClient } from './infrastructure/tokens';
import { LoginController } from './login/login.controller';
import { LoginHandler } from './login/login.handler';
import { LoginThrottle } from './login/login-throttle';
import { ProfileController } from './profile/profile.controller';
import { RefreshController } from './refresh/refresh.controller';
import { RefreshSessionHandler } from './refresh/refresh-session.handler';
import { AccountCreator } from './register/account-creator';
import { RegisterController } from './register/register.controller';
import { RegisterUserHandler } from './register/register-user.handler';
import { RotateKeysController } from './rotate-keys/rotate-keys.controller';
import { SessionIssuer } from './sessions/session-issuer';
import { AccessTokenSigner } from './signing-keys/access-token-signer';
import { JwksController } from './signing-keys/jwks.controller';
import { SigningKeyStore } from './signing-keys/signing-key-store';

@Module({})
export class UserServiceModule {
  static forRoot(config: UserConfig): DynamicModule {
    return {
      module: UserServiceModule,
      imports: [
        InfrastructureModule.forRoot(config),
        ServiceKitModule.forRoot({
          serviceName: SERVICE_NAME,
          identitySecret: config.IDENTITY_HMAC_SECRET,
          readiness: {
            inject: [SQL_CLIENT, REDIS],
            useFactory: (sql: SqlClient, redis: RedisClient) => ({
              checks: [postgresCheck({ database: sql }), redisCheck({ client: redis })],
            }),
          },
        }),
        MessagingModule.forRootAsync({
          inject: [SQL_CLIENT],
          useFactory: (sql: SqlClient) => ({
            clientId: SERVICE_NAME,
            brokers: config.KAFKA_BROKERS,
            registry: new MessageRegistry([...USER_MESSAGES]),
            outboxRelay: { sql, name: SERVICE_NAME, pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS },
          }),
        }),
      ],
      controllers: [
        RegisterController,
        LoginController,
        RefreshController,
        ProfileController,
        JwksController,
        RotateKeysController,
      ],
      providers: [
        AccountCreator,
        RegisterUserHandler,
        LoginThrottle,
        LoginHandler,
        SessionIssuer,
        RefreshSessionHandler,
        SigningKeyStore,
        AccessTokenSigner,
        StartupSeeder,
      ],
    };
  }
}
