import { DEFAULT_CHECK_TIMEOUT_MS, type CheckOptions, type ReadinessCheck } from './readiness-check';

/** The part of an ioredis client the check uses. */
export interface Pingable {
  ping(): Promise<string>;
  /** ioredis connection status: `ready`, `connecting`, `reconnecting`, `end` ... */
  readonly status?: string;
}

export interface RedisCheckOptions extends CheckOptions {
  client: Pingable;
}

/** States in which ioredis would only queue the PING: report them at once instead. */
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

/** Redis is ready when PING answers PONG. */
export function redisCheck(options: RedisCheckOptions): ReadinessCheck {
  const { client } = options;
  return {
    name: options.name ?? 'redis',
    timeoutMs: options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    async check() {
      if (client.status !== undefined && DISCONNECTED.has(client.status)) {
        throw new Error(`connection is ${client.status}`);
      }
      const reply = await client.ping();
      if (reply !== 'PONG') throw new Error(`PING answered ${reply}`);
    },
  };
}
