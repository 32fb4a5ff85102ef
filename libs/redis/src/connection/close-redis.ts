import type Redis from 'ioredis';
import { withTimeout } from '../timing';

/**
 * Closes a client at shutdown: QUIT when connected (replies already on their
 * way still arrive), otherwise drops the connection. Safe to call twice: a
 * second disconnect() of an ended ioredis client would start a 2 s timer
 * that holds the process open.
 */
export async function closeRedis(client: Redis, timeoutMs = 1_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    try {
      await withTimeout(client.quit(), timeoutMs, 'Redis QUIT');
      await withTimeout(ended, timeoutMs, 'Redis close after QUIT');
      return;
    } catch {
      // not answering: drop the connection below
    }
  }
  client.disconnect();
}
