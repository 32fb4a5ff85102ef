import { KafkaContainer } from '@testcontainers/kafka';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';

export interface RunningContainers {
  /** POSTGRES_URL, REDIS_URL and KAFKA_BROKERS pointing at the containers. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** Postgres, Redis and Kafka from testcontainers (only where Docker answers). */
export async function startContainers(): Promise<RunningContainers> {
  const [postgres, redis, kafka] = await Promise.all([
    new PostgreSqlContainer('postgres:17-alpine')
      .withCommand(['postgres', '-c', 'max_prepared_transactions=64'])
      .start(),
    new RedisContainer('redis:7-alpine').start(),
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
  ]);
  return {
    env: {
      POSTGRES_URL: postgres.getConnectionUri(),
      REDIS_URL: redis.getConnectionUrl(),
      KAFKA_BROKERS: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    },
    async stop() {
      await Promise.all([postgres.stop(), redis.stop(), kafka.stop()]);
    },
  };
}
