import { Client } from 'pg';
import Redis from 'ioredis';
import { postgresAdminUrl, redisUrl } from '@shop/config';
import { createTestEnvironment } from './test-environment';

async function databaseExists(name: string): Promise<boolean> {
  const admin = new Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    return ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await admin.end();
  }
}

describe('test environment isolation', () => {
  it('gives each suite its own database, key namespace and topics, and removes them afterwards', async () => {
    const migrate = async (url: string): Promise<void> => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query('CREATE TABLE marker (suite text)');
      await client.end();
    };
    const [a, b] = await Promise.all([
      createTestEnvironment('iso-a', { postgres: migrate, redis: true, kafka: true }),
      createTestEnvironment('iso-b', { postgres: migrate, redis: true, kafka: true }),
    ]);

    expect(a.postgres.name).not.toBe(b.postgres.name);
    const inA = new Client({ connectionString: a.postgres.url });
    await inA.connect();
    await inA.query("INSERT INTO marker VALUES ('a')");
    await inA.end();
    const inB = new Client({ connectionString: b.postgres.url });
    await inB.connect();
    expect((await inB.query('SELECT * FROM marker')).rows).toEqual([]); // migrated, and empty
    await inB.end();

    await a.redis.client().set('shared-name', 'a');
    await b.redis.client().set('shared-name', 'b');
    expect(await a.redis.client().get('shared-name')).toBe('a');

    const [topicA, topicB] = await Promise.all([a.kafka.topic('orders', 4), b.kafka.topic('orders', 4)]);
    expect(topicA).not.toBe(topicB);
    const admin = a.kafka.client().admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topicA] });
    await admin.disconnect();
    expect(topics[0]!.partitions).toHaveLength(4);
    expect(a.kafka.faults).toBeUndefined(); // the shared broker is never faulted by a suite

    await Promise.all([a.dispose(), b.dispose()]);
    expect(await databaseExists(a.postgres.name)).toBe(false);
    const raw = new Redis(redisUrl());
    expect(await raw.keys(`${a.redis.keyPrefix}*`)).toEqual([]);
    raw.disconnect();
  });

  it('refuses parts that were not asked for', async () => {
    const env = await createTestEnvironment('partial', { redis: true });
    expect(() => env.postgres).toThrow(/not asked for postgres/);
    await env.dispose();
  });

  it('drops the database again when its migration fails', async () => {
    let created = '';
    const failing = async (url: string): Promise<void> => {
      created = new URL(url).pathname.slice(1);
      throw new Error('broken migration');
    };
    await expect(createTestEnvironment('failing', { postgres: failing })).rejects.toThrow('broken migration');
    expect(await databaseExists(created)).toBe(false);
  });
});
