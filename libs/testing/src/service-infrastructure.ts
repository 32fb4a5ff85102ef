import type { TestEnvironment } from './test-environment';

/** Where a service under test connects: its database, its Redis key namespace and the Kafka brokers. */
export interface ServiceInfrastructure {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  kafkaBrokers: readonly string[];
}

/** A test environment's database, Redis namespace and brokers, as the services' harnesses take them. */
export function serviceInfrastructure(env: TestEnvironment): ServiceInfrastructure {
  return {
    databaseUrl: env.postgres.url,
    redisUrl: env.redis.url,
    redisKeyPrefix: env.redis.keyPrefix,
    kafkaBrokers: env.kafka.brokers,
  };
}
