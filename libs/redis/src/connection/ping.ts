import type Redis from 'ioredis';
import { withTimeout } from '../timing';

export type RedisHealth = { status: 'up'; latencyMs: number } | { status: 'down'; reason: string };

/**
 * PINGs Redis for a readiness check. Never throws and never waits longer than
 * `timeoutMs`: a client that is not connected is reported down at once
 * instead of queueing the PING until it reconnects.
 */
export async function pingRedis(client: Redis, timeoutMs = 1_000): Promise<RedisHealth> {
  if (client.status !== 'ready') return { status: 'down', reason: `connection is ${client.status}` };
  const started = performance.now();
  try {
    await withTimeout(client.ping(), timeoutMs, 'Redis PING');
    return { status: 'up', latencyMs: performance.now() - started };
  } catch (err) {
    return { status: 'down', reason: err instanceof Error ? err.message : String(err) };
  }
}
