import type Redis from 'ioredis';
import { LuaScript } from '../lua/lua-script';

/**
 * Checks the token against the highest one seen for the resource, records it,
 * and applies the writes, all in one script, so no newer holder can write
 * between the check and the write.
 * KEYS[1] fence key, KEYS[2..n] keys to SET; ARGV[1] token, ARGV[2..n] values.
 * Returns 1 if accepted, 0 if the token is stale.
 */
const fencedSetScript = new LuaScript(`
local token = tonumber(ARGV[1])
local highest = tonumber(redis.call('GET', KEYS[1]) or '0')
if token < highest then return 0 end
if token > highest then redis.call('SET', KEYS[1], ARGV[1]) end
for i = 2, #KEYS do redis.call('SET', KEYS[i], ARGV[i]) end
return 1
`);

/**
 * Redis-side fencing for resources that live in Redis: each resource keeps
 * the highest fencing token that wrote to it (key `fence:{resource}`), and a
 * write with a lower token, from a holder whose lease expired while it was
 * paused, is rejected.
 *
 * In Redis Cluster the written keys must share the fence key's hash slot
 * (put `{resource}` in their names).
 */
export class RedisFence {
  private readonly namespace: string;

  constructor(
    private readonly client: Redis,
    options: { namespace?: string } = {},
  ) {
    this.namespace = options.namespace ?? 'fence';
  }

  /** SETs `values` (key -> value) only if `token` is not older than the resource's highest. */
  async fencedSet(resource: string, token: number, values: Record<string, string>): Promise<boolean> {
    const entries = Object.entries(values);
    const result = await fencedSetScript.run(
      this.client,
      [this.fenceKey(resource), ...entries.map(([key]) => key)],
      [token, ...entries.map(([, value]) => value)],
    );
    return result === 1;
  }

  /**
   * Accepts `token` if it is not older than the highest seen, and records it.
   * Only the check: if the guarded write happens elsewhere afterwards, a newer
   * holder may slip in between. Prefer fencedSet, or a resource that checks
   * the token in the same transaction as its write (acceptsFencingToken).
   */
  checkAndSetFence(resource: string, token: number): Promise<boolean> {
    return this.fencedSet(resource, token, {});
  }

  /** Highest token accepted for the resource so far (0 if none). */
  async highest(resource: string): Promise<number> {
    return Number((await this.client.get(this.fenceKey(resource))) ?? 0);
  }

  private fenceKey(resource: string): string {
    return `${this.namespace}:{${resource}}`;
  }
}
