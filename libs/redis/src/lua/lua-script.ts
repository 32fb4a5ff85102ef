import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * A Lua script run by its SHA1 (EVALSHA), loaded with EVAL the first time the
 * server answers NOSCRIPT. Keys go through ioredis, so a client's keyPrefix
 * applies to them like to any other command. Unlike `defineCommand`, it adds
 * nothing to the client, so one client can be shared by every helper here.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(
    client: Redis,
    keys: readonly string[],
    args: readonly (string | number)[] = [],
  ): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
