import { createServer, type Server, type Socket } from 'node:net';
import { type AddressInfo } from 'node:net';
import { Module, type DynamicModule } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createTestEnvironment, type TestEnvironment } from '@shop/testing';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { HealthModule } from './health.module';
import { kafkaCheck } from './kafka.check';
import { postgresCheck } from './postgres.check';
import type { ReadinessCheck } from './readiness-check';
import { redisCheck } from './redis.check';

interface Probe {
  status: number;
  cacheControl: string | null;
  body: {
    status: string;
    info: Record<string, { status: string; [k: string]: unknown }>;
    error: Record<string, { status: string; message?: string }>;
    details: Record<string, { status: string }>;
  };
}

/** A TCP server that accepts connections and never answers: a hung dependency. */
async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('HealthModule with real Postgres, Redis and Kafka', () => {
  let env: TestEnvironment;
  let pool: Pool;
  let redis: Redis;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('health', { postgres: true, redis: true, kafka: true });
    pool = env.postgres.pool();
    redis = env.redis.client();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await env.dispose(); // closes the pool first
  });

  const healthy = (): ReadinessCheck[] => [
    postgresCheck({ database: pool }),
    redisCheck({ client: redis }),
    kafkaCheck({ kafka: env.kafka.client('health', { retry: { retries: 0 } }) }),
  ];

  /** Boots a Fastify Nest app with these checks (or this health module) and returns a prober for it. */
  async function boot(checks: ReadinessCheck[] | DynamicModule): Promise<(path: string) => Promise<Probe>> {
    const health = Array.isArray(checks) ? HealthModule.forRoot({ checks }) : checks;
    const moduleRef = await Test.createTestingModule({ imports: [health] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    cleanups.push(() => app.close());
    const url = await app.getUrl();
    return async (path) => {
      const response = await fetch(url + path);
      return {
        status: response.status,
        cacheControl: response.headers.get('cache-control'),
        body: (await response.json()) as Probe['body'],
      };
    };
  }

  it('is ready (200) when every dependency answers, and live', async () => {
    // The services' way: checks built from their own providers.
    const POOL = Symbol('POOL');
    @Module({ providers: [{ provide: POOL, useValue: pool }], exports: [POOL] })
    class DatabaseModule {}
    const probe = await boot(
      HealthModule.forRootAsync({
        imports: [DatabaseModule],
        inject: [POOL],
        useFactory: (database: Pool) => ({ checks: [postgresCheck({ database }), ...healthy().slice(1)] }),
      }),
    );

    const ready = await probe('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.cacheControl).toBe('no-cache, no-store, must-revalidate');
    expect(ready.body).toEqual({
      status: 'ok',
      info: {
        postgres: { status: 'up', responseTime: expect.any(Number) },
        redis: { status: 'up', responseTime: expect.any(Number) },
        kafka: {
          status: 'up',
          responseTime: expect.any(Number),
          brokers: expect.any(Number),
          clusterId: expect.any(String),
        },
      },
      error: {},
      details: ready.body.info,
    });
    expect(ready.body.info.kafka!.brokers).toBeGreaterThan(0);

    const live = await probe('/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok', info: {}, error: {}, details: {} } });
  });

  it('is not ready (503) when Redis is unreachable, naming Redis; still live', async () => {
    // Short disconnectTimeout: ioredis otherwise keeps a 2 s timer for a socket that already failed.
    const deadRedis = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, disconnectTimeout: 10 });
    deadRedis.on('error', () => undefined); // reconnect errors are expected here
    cleanups.push(async () => deadRedis.disconnect());
    const probe = await boot([postgresCheck({ database: pool }), redisCheck({ client: deadRedis })]);

    const ready = await probe('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('error');
    expect(Object.keys(ready.body.error)).toEqual(['redis']);
    expect(ready.body.error.redis).toMatchObject({
      status: 'down',
      message: expect.stringMatching(/connection is reconnecting|max retries/),
    });
    expect(ready.body.details.postgres).toMatchObject({ status: 'up' });

    expect(await probe('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('is not ready when no Kafka broker listens at the configured address', async () => {
    const deadKafka = env.kafka.client('dead-kafka', { brokers: ['127.0.0.1:1'], retry: { retries: 0 } });
    const probe = await boot([...healthy().slice(0, 2), kafkaCheck({ kafka: deadKafka })]);

    const ready = await probe('/health/ready');
    expect(ready.status).toBe(503);
    expect(Object.keys(ready.body.error)).toEqual(['kafka']);
    expect(ready.body.error.kafka!.message).toMatch(/ECONNREFUSED|connect/i);
    expect(Object.keys(ready.body.info).sort()).toEqual(['postgres', 'redis']);
  });

  it('fails readiness at the timeout, instead of hanging, when Postgres accepts but never answers', async () => {
    const blackHole = await startBlackHole();
    const hungPool = new Pool({
      connectionString: `postgresql://postgres@127.0.0.1:${blackHole.port}/postgres`,
    });
    hungPool.on('error', () => undefined);
    cleanups.push(async () => {
      await blackHole.close();
      await hungPool.end().catch(() => undefined);
    });
    const probe = await boot([
      postgresCheck({ database: hungPool, timeoutMs: 300 }),
      redisCheck({ client: redis }),
    ]);

    const ready = await probe('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toEqual({
      postgres: { status: 'down', message: 'timeout of 300ms exceeded', responseTime: expect.any(Number) },
    });
    expect(ready.body.info.redis).toMatchObject({ status: 'up' });
  });
});
