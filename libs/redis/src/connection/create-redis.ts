import Redis, { type RedisOptions } from 'ioredis';
import { redisUrl } from '@shop/config';
import { backoffDelay } from '../jitter';

/**
 * Defaults for a long-running service:
 * - connect at once (lazyConnect off), so a bad URL shows at startup;
 * - reconnect forever, exponential backoff from 100 ms capped at 2 s, jittered,
 *   so a fleet does not reconnect in lockstep after a Redis restart;
 * - offline queue ON: commands issued while (re)connecting wait for the
 *   connection instead of failing at once (startup needs no "await ready").
 *   It is bounded: after `maxRetriesPerRequest` failed reconnect attempts the
 *   queued commands are rejected, and `commandTimeout` bounds any command. The
 *   cache and health check do not rely on it: they skip Redis whenever the
 *   connection is not ready, so an outage costs them nothing but cache hits.
 */
export const SERVICE_REDIS_OPTIONS: Readonly<RedisOptions> = {
  lazyConnect: false,
  enableOfflineQueue: true,
  enableReadyCheck: true,
  maxRetriesPerRequest: 2,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  retryStrategy: (attempt) => backoffDelay(attempt, { baseMs: 100, maxMs: 2_000 }),
};

export interface CreateRedisOptions extends RedisOptions {
  /**
   * Receives the client's 'error' events (connection refused, reset ...).
   * Default: one console.warn per distinct error until the next successful
   * connection, so an outage is visible without a line per reconnect attempt.
   */
  onError?: (error: Error) => void;
}

/** An ioredis client with SERVICE_REDIS_OPTIONS, overridable per option. */
export function createRedis(url: string = redisUrl(), options: CreateRedisOptions = {}): Redis {
  const { onError, ...redisOptions } = options;
  const client = new Redis(url, { ...SERVICE_REDIS_OPTIONS, ...redisOptions });
  client.on('error', onError ?? warnOncePerOutage(client));
  return client;
}

function warnOncePerOutage(client: Redis): (error: Error) => void {
  let lastMessage: string | undefined;
  client.on('ready', () => (lastMessage = undefined));
  return (error) => {
    if (error.message === lastMessage) return;
    lastMessage = error.message;
    console.warn(`[redis] ${error.message}`);
  };
}
