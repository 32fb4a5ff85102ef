/**
 * Boots the real user service in-process (port 0) on a test environment's
 * database, Redis namespace and Kafka brokers, and calls it over HTTP.
 */
import { bootstrapService, loadServiceConfig, signIdentity, type RunningService } from '@shop/service-kit';
import type { ServiceInfrastructure } from '@shop/testing';
import { createLogger } from '@shop/telemetry';
import { UserServiceModule } from '../app.module';
import { SERVICE_NAME, userEnv, type UserConfig } from '../config';

export const TEST_IDENTITY_SECRET = 'user-service-test-identity-secret-0123456789';
export const TEST_KEY_ENCRYPTION_SECRET = 'user-service-test-key-encryption-secret-0123';

export type Infrastructure = ServiceInfrastructure;

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface UserServiceUnderTest {
  readonly url: string;
  readonly config: UserConfig;
  readonly service: RunningService;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer<T>>;
  /** Identity headers as the gateway signs them. */
  as(userId: string, roles: string[]): Record<string, string>;
  close(): Promise<void>;
}

/** The lowest scrypt cost the service accepts, so tests spend their time on behaviour. */
const FAST_HASHING = { PASSWORD_SCRYPT_LOG_N: '15', PASSWORD_SCRYPT_R: '8', PASSWORD_SCRYPT_P: '1' };

export async function startUserService(
  infra: Infrastructure,
  env: Record<string, string> = {},
): Promise<UserServiceUnderTest> {
  const config = loadServiceConfig(userEnv, {
    USER_DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    REDIS_KEY_PREFIX: infra.redisKeyPrefix,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET,
    ...FAST_HASHING,
    ...env,
  });
  const service = await bootstrapService({
    name: SERVICE_NAME,
    module: UserServiceModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ serviceName: SERVICE_NAME, level: 'warn' }),
  });
  return {
    url: service.url,
    config,
    service,
    async call(method, path, body, headers = {}) {
      const response = await fetch(service.url + path, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : undefined,
        headers: response.headers,
      };
    },
    as: (userId, roles) => signIdentity({ userId, roles }, TEST_IDENTITY_SECRET),
    close: () => service.app.close(),
  };
}

/** A unique, valid account for one test. */
export function newAccount(label: string): { email: string; password: string; name: string } {
  const unique = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return { email: `${unique}@example.com`, password: 'correct horse battery staple', name: 'Test Customer' };
}
