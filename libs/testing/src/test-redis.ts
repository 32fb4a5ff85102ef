import Redis, { type RedisOptions } from 'ioredis';
import { redisUrl } from '@shop/config';
import { uniqueName } from './unique-name';

export interface TestRedisNamespace {
  /** Every key this suite touches starts with this prefix. */
  readonly keyPrefix: string;
  readonly url: string;
  /** A client whose commands are confined to the namespace (ioredis keyPrefix). */
  client(options?: RedisOptions): Redis;
  /** Deletes the namespace's keys and closes the clients it handed out. */
  dispose(): Promise<void>;
}

export function createRedisNamespace(label: string): TestRedisNamespace {
  const url = redisUrl();
  const keyPrefix = `${uniqueName('test', label)}:`;
  const clients: Redis[] = [];
  return {
    keyPrefix,
    url,
    client(options = {}) {
      const client = new Redis(url, { keyPrefix, ...options });
      clients.push(client);
      return client;
    },
    async dispose() {
      const admin = new Redis(url);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
          if (keys.length) await admin.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        admin.disconnect();
        // ioredis 6 starts a reconnect timer when disconnect() hits an already closed client.
        for (const c of clients) if (c.status !== 'end') c.disconnect();
      }
    },
  };
}
