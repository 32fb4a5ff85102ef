/**
 * An upstream in its own process, so a test can SIGKILL it mid-stream:
 * listens on a free port, optionally registers in the Redis registry (with
 * a heartbeat, like a service would), prints `LISTENING <port>`.
 *   node --require ./tools/register.cjs services/gateway/src/test-support/upstream-process.ts
 * Env: NAME, SERVICE, REDIS_URL + REDIS_KEY_PREFIX (register when set), TTL_MS, HEARTBEAT_MS, DELAY_MS.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerInstance } from '@shop/discovery';
import Redis from 'ioredis';

async function main(): Promise<void> {
  const env = process.env;
  const name = env.NAME ?? `upstream-${process.pid}`;
  const delayMs = Number(env.DELAY_MS ?? 0);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ server: name, url: req.url }));
      if (delayMs > 0 && req.url !== '/health/ready') setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  if (env.REDIS_URL && env.SERVICE) {
    const redis = new Redis(env.REDIS_URL, { keyPrefix: env.REDIS_KEY_PREFIX ?? '' });
    await registerInstance(
      redis,
      { service: env.SERVICE, instanceId: name, address: `http://127.0.0.1:${port}` },
      { ttlMs: Number(env.TTL_MS ?? 1_500), heartbeatMs: Number(env.HEARTBEAT_MS ?? 300) },
    );
  }
  process.stdout.write(`LISTENING ${port}\n`);
}

void main();
