import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { startFaultProxy } from '../test-support/fault-proxy';
import { closeRedis } from './close-redis';
import { createRedis } from './create-redis';
import { pingRedis } from './ping';

describe('Redis connection', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment('redis-connection', { redis: true });
  });
  afterAll(() => env.dispose());

  it('connects with the service defaults and reports healthy', async () => {
    const client = createRedis(env.redis.url, { keyPrefix: env.redis.keyPrefix });
    try {
      await client.set('greeting', 'hello'); // issued while still connecting: waits in the offline queue
      expect(await client.get('greeting')).toBe('hello');
      expect(await pingRedis(client)).toMatchObject({ status: 'up' });
    } finally {
      await closeRedis(client);
    }
    expect(client.status).toBe('end');
    await closeRedis(client); // a second close is harmless
  });

  it('reports an unreachable server as down without waiting for it', async () => {
    const client = createRedis('redis://127.0.0.1:1', { onError: () => undefined, disconnectTimeout: 100 });
    try {
      expect(await pingRedis(client)).toMatchObject({ status: 'down' });
    } finally {
      await closeRedis(client);
    }
  });

  it('reports a connected server that stops answering as down after the timeout', async () => {
    const proxy = await startFaultProxy(env.redis.url);
    const client = createRedis(proxy.url, { onError: () => undefined });
    try {
      await waitFor(() => client.status === 'ready');
      proxy.blackhole(true);
      const health = await pingRedis(client, 100);
      expect(health).toEqual({ status: 'down', reason: 'Redis PING did not answer within 100 ms' });
    } finally {
      client.disconnect();
      await proxy.close();
    }
  });
});
