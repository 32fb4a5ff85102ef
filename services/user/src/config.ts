import { SERVICE_ENV_SCHEMAS } from '@shop/service-kit';
import { z } from 'zod';
import { DEFAULT_SCRYPT_PARAMS, MIN_SCRYPT_PARAMS } from './domain/password-hash-format';

export const SERVICE_NAME = 'user';

/** Local defaults of the seeded admin account (see README): change them anywhere but a laptop. */
export const LOCAL_ADMIN_EMAIL = 'admin@shop.local';
export const LOCAL_ADMIN_PASSWORD = 'Local-Dev-Only-2026';

const positiveInt = z.coerce.number().int().positive();

/** The user service's environment: the common service variables plus its own. */
export const userEnv = SERVICE_ENV_SCHEMAS.user.extend({
  /** Derives the key that encrypts signing keys at rest (AES-256-GCM); no default, like every secret. */
  KEY_ENCRYPTION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  JWT_ISSUER: z.string().min(1).default('shop-user-service'),
  JWT_AUDIENCE: z.string().min(1).default('shop'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  ADMIN_EMAIL: z.email().default(LOCAL_ADMIN_EMAIL),
  ADMIN_PASSWORD: z.string().min(10).default(LOCAL_ADMIN_PASSWORD),
  ADMIN_NAME: z.string().min(1).default('Shop Admin'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt.default(20),
  LOGIN_FAILURE_WINDOW_MS: positiveInt.default(15 * 60_000),
  /** Behind the gateway every request comes from the gateway: take the client from the last X-Forwarded-For entry. */
  LOGIN_TRUST_FORWARDED_FOR: z.stringbool().default(false),
  REDIS_KEY_PREFIX: z.string().default('user:'),
  PASSWORD_SCRYPT_LOG_N: z.coerce
    .number()
    .int()
    .min(MIN_SCRYPT_PARAMS.logN)
    .max(20)
    .default(DEFAULT_SCRYPT_PARAMS.logN),
  PASSWORD_SCRYPT_R: z.coerce
    .number()
    .int()
    .min(MIN_SCRYPT_PARAMS.r)
    .max(32)
    .default(DEFAULT_SCRYPT_PARAMS.r),
  PASSWORD_SCRYPT_P: z.coerce
    .number()
    .int()
    .min(MIN_SCRYPT_PARAMS.p)
    .max(16)
    .default(DEFAULT_SCRYPT_PARAMS.p),
});

export type UserConfig = z.output<typeof userEnv>;
