/**
 * A process that registers one instance and heartbeats until it is killed:
 * what a service does, so tests can SIGKILL it and watch the record expire.
 *   node --require ./tools/register.cjs libs/discovery/src/test-support/registered-process.ts
 * Env: REDIS_URL, REDIS_KEY_PREFIX, SERVICE, INSTANCE_ID, ADDRESS, TTL_MS, HEARTBEAT_MS.
 */
import Redis from 'ioredis';
import { registerInstance } from '../register-instance';

async function main(): Promise<void> {
  const env = process.env;
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    keyPrefix: env.REDIS_KEY_PREFIX ?? '',
  });
  await registerInstance(
    redis,
    {
      service: env.SERVICE ?? 'order',
      instanceId: env.INSTANCE_ID ?? `p-${process.pid}`,
      address: env.ADDRESS ?? 'http://127.0.0.1:1',
    },
    { ttlMs: Number(env.TTL_MS ?? 1000), heartbeatMs: Number(env.HEARTBEAT_MS ?? 200) },
  );
  setInterval(() => undefined, 60_000); // stay alive until killed
  process.stdout.write('REGISTERED\n');
}

void main();
