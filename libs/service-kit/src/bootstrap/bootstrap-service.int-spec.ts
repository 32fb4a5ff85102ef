import { connect } from 'node:net';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { postgresCheck, type ReadinessCheck } from '@shop/health';
import { createLogger } from '@shop/telemetry';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { captureLogs, SlowGate, testServiceModule } from '../__fixtures__/kit-test-app';
import type { ServiceKitOptions } from '../service-kit.module';
import { bootstrapService, type BootstrapServiceOptions, type RunningService } from './bootstrap-service';

describe('bootstrapService', () => {
  let env: TestEnvironment;
  const running: RunningService[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('service-kit', { postgres: true });
  });
  afterAll(async () => {
    await Promise.all(running.map((service) => service.app.close()));
    await env.dispose();
  });

  async function start(
    name: string,
    kit: Partial<ServiceKitOptions> = {},
    options: Partial<BootstrapServiceOptions> = {},
  ): Promise<RunningService> {
    const service = await bootstrapService({
      name,
      module: testServiceModule({ serviceName: name, ...kit }),
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ serviceName: name, level: 'silent' }),
      ...options,
    });
    running.push(service);
    return service;
  }

  describe('health and metrics', () => {
    it('serves /health/live, /health/ready (checks built from a factory) and /metrics', async () => {
      const pool = env.postgres.pool();
      const service = await start('kit-health', {
        readiness: { useFactory: () => ({ checks: [postgresCheck({ database: pool })] }) },
      });

      const live = await fetch(`${service.url}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ status: 'ok' });

      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' } } });

      const metrics = await fetch(`${service.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      const readyCount = (await metrics.text())
        .split('\n')
        .find(
          (line) =>
            line.startsWith('http_server_request_duration_seconds_count{') &&
            ['service="kit-health"', 'route="/health/ready"', 'status_code="200"'].every((label) =>
              line.includes(label),
            ),
        );
      expect(readyCount).toMatch(/\} 1$/);
    });

    it('keeps the readiness contract when a check is down: 503 with the terminus body, not an error body', async () => {
      const down: ReadinessCheck = {
        name: 'ledger',
        timeoutMs: 500,
        check: () => Promise.reject(new Error('ledger unreachable')),
      };
      const service = await start('kit-unready', { readiness: { checks: [down] } });
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'error',
        error: { ledger: { status: 'down', message: 'ledger unreachable' } },
      });
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    });
  });

  describe('graceful shutdown', () => {
    it('finishes an in-flight request when app.close() is called during it, and stops accepting', async () => {
      const service = await start('kit-drain');
      const gate = service.app.get(SlowGate);
      const port = Number(new URL(service.url).port);

      const inFlight = rawHttp(port);
      inFlight.send('GET /slow HTTP/1.1\r\nHost: kit\r\n\r\n');
      await gate.whenEntered();

      let closed = false;
      const closing = service.app.close().then(() => (closed = true));
      await waitFor(async () => !(await accepts(port)), { describe: () => 'the server still accepts' });

      // A request arriving on the open connection meanwhile is turned away in the platform's shape.
      inFlight.send('GET /orders HTTP/1.1\r\nHost: kit\r\n\r\n');
      expect(closed).toBe(false);
      gate.open();

      const responses = await inFlight.ended;
      await closing;
      expect(responses).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"finished":true\}HTTP\/1\.1 503 /);
      expect(responses).toMatch(/\r\nconnection: close\r\n/i);
      expect(
        responses.endsWith(
          '{"error":{"code":"SERVICE_UNAVAILABLE","message":"The service is shutting down"}}',
        ),
      ).toBe(true);
      // HTTP drained before Nest's destroy hooks, where services close their pools and producers.
      expect(gate.events).toEqual(['request finished', 'module destroyed']);
    });

    it('cuts requests still running when the drain timeout passes, and closes', async () => {
      const service = await start('kit-drain-timeout', {}, { drainTimeoutMs: 200 });
      const gate = service.app.get(SlowGate);
      const stuck = fetch(`${service.url}/slow`).then(
        (response) => `answered ${response.status}`,
        (err: Error) => `failed: ${err.message}`,
      );
      await gate.whenEntered();
      await service.app.close();
      expect(await stuck).toBe('failed: fetch failed');
      gate.open();
    });

    it('flushes telemetry after the app has closed', async () => {
      const events: string[] = [];
      const service = await start(
        'kit-flush',
        {},
        { telemetry: { shutdown: async () => void events.push('telemetry flushed') } },
      );
      await service.app.close();
      expect(events).toEqual(['telemetry flushed']);
    });
  });

  describe('migrations', () => {
    it('applies pending migrations before the app starts', async () => {
      const logs = captureLogs();
      await start(
        'kit-migrate',
        {},
        {
          migrate: {
            databaseUrl: env.postgres.url,
            migrationsDir: join(__dirname, '../../test-fixtures/migrations'),
          },
          logger: createLogger({ serviceName: 'kit-migrate', destination: logs }),
        },
      );
      const pool = env.postgres.pool();
      const { rows } = await pool.query<{ name: string }>(
        'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      );
      expect(rows.map((r) => r.name)).toEqual(['20261121000000_init']);
      await expect(pool.query('SELECT count(*) FROM kit_widget')).resolves.toBeDefined();
      expect(logs.lines.map((line) => line.msg)).toContain(
        `[${join(__dirname, '../../test-fixtures/migrations')}] applied 1 migration: 20261121000000_init`,
      );
    });

    it('refuses migrate: true for a name that is no service of the platform', async () => {
      await expect(start('kit-not-a-service', {}, { migrate: true })).rejects.toThrow(
        /migrate: true needs a service of @shop\/config/,
      );
    });
  });

  describe('misuse', () => {
    it('refuses a module without ServiceKitModule, and logs why', async () => {
      @Module({})
      class BareModule {}
      const logs = captureLogs();
      await expect(
        bootstrapService({
          name: 'kit-bare',
          module: BareModule,
          port: 0,
          host: '127.0.0.1',
          logger: createLogger({ serviceName: 'kit-bare', destination: logs }),
        }),
      ).rejects.toThrow("The module of service 'kit-bare' must import ServiceKitModule.forRoot(...)");
      expect(logs.lines).toContainEqual(
        expect.objectContaining({ level: 'fatal', msg: 'kit-bare failed to start' }),
      );
    });

    it('refuses a ServiceKitModule configured for another service', async () => {
      await expect(
        bootstrapService({
          name: 'kit-a',
          module: testServiceModule({ serviceName: 'kit-b' }),
          port: 0,
          logger: createLogger({ serviceName: 'kit-a', level: 'silent' }),
        }),
      ).rejects.toThrow("ServiceKitModule is configured for 'kit-b', but the service is 'kit-a'");
    });
  });
});

/** Whether a new TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One raw HTTP/1.1 connection: requests written as is, everything received until the server ends it. */
function rawHttp(port: number): { send(request: string): void; ended: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const ended = new Promise<string>((resolve, reject) => {
    socket.once('close', () => resolve(received));
    socket.once('error', reject);
  });
  return { send: (request) => void socket.write(request), ended };
}
