import type { createRedis } from '@shop/redis';

/** Injection tokens of the service's adapters (explicit, so nothing depends on emitted type metadata). */
export const USER_CONFIG = Symbol('USER_CONFIG');
export const PRISMA = Symbol('PRISMA');
export const SQL_CLIENT = Symbol('SQL_CLIENT');
export const REDIS = Symbol('REDIS');

export type RedisClient = ReturnType<typeof createRedis>;
