import { createTestDatabase, type Migrate, type TestDatabase } from './test-database';
import { createTestKafka, type TestKafka, type TestKafkaOptions } from './test-kafka';
import { createRedisNamespace, type TestRedisNamespace } from './test-redis';

export interface TestEnvironmentOptions {
  /** A fresh database, migrated by this function (or left empty with `true`). */
  postgres?: Migrate | true;
  redis?: boolean;
  kafka?: TestKafkaOptions | true;
}

export interface TestEnvironment {
  readonly postgres: TestDatabase;
  readonly redis: TestRedisNamespace;
  readonly kafka: TestKafka;
  dispose(): Promise<void>;
}

/**
 * Everything one integration suite needs, isolated from every other suite:
 * its own Postgres database, Redis key namespace and Kafka topics/groups.
 * Only the parts asked for are created; touching another part throws.
 *
 *   const env = await createTestEnvironment('outbox', { postgres: migrate, kafka: true });
 *   afterAll(() => env.dispose());
 */
export async function createTestEnvironment(
  label: string,
  options: TestEnvironmentOptions,
): Promise<TestEnvironment> {
  const disposers: (() => Promise<void>)[] = [];
  const parts: Partial<Record<'postgres' | 'redis' | 'kafka', unknown>> = {};
  try {
    if (options.postgres) {
      const db = await createTestDatabase(label, options.postgres === true ? undefined : options.postgres);
      disposers.push(() => db.drop());
      parts.postgres = db;
    }
    if (options.redis) {
      const redis = createRedisNamespace(label);
      disposers.push(() => redis.dispose());
      parts.redis = redis;
    }
    if (options.kafka) {
      const kafka = await createTestKafka(label, options.kafka === true ? {} : options.kafka);
      disposers.push(() => kafka.dispose());
      parts.kafka = kafka;
    }
  } catch (err) {
    await disposeAll(disposers);
    throw err;
  }

  const part = <T>(name: 'postgres' | 'redis' | 'kafka'): T => {
    if (!parts[name]) throw new Error(`createTestEnvironment('${label}') was not asked for ${name}`);
    return parts[name] as T;
  };
  return {
    get postgres() {
      return part<TestDatabase>('postgres');
    },
    get redis() {
      return part<TestRedisNamespace>('redis');
    },
    get kafka() {
      return part<TestKafka>('kafka');
    },
    dispose: () => disposeAll(disposers),
  };
}

async function disposeAll(disposers: (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled(disposers.reverse().map((d) => d()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
