import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  createTestEnvironment,
  OTLP_SPAN_KIND,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
  type TestEnvironment,
} from '@shop/testing';

const { SERVER, CLIENT, PRODUCER, CONSUMER } = OTLP_SPAN_KIND;

/**
 * Auto-instrumentation only works when the SDK starts before the libraries
 * are required, which Jest's module registry never allows. So a real service
 * process (src/__fixtures__/traced-service) runs with startTelemetry first
 * and OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver in this
 * test; its spans must form one trace from the HTTP request through Postgres,
 * Redis and Kafka to the consumer.
 */
function runFixture(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = join(__dirname, '../../..');
  const child = spawn(
    process.execPath,
    ['--require', join(root, 'tools/register.cjs'), join(__dirname, '__fixtures__/traced-service/main.ts')],
    { cwd: root, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('auto-instrumentation in a service process', () => {
  let env: TestEnvironment;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    env = await createTestEnvironment('telemetry-auto', { postgres: true, redis: true, kafka: true });
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await env?.dispose();
  });

  it('exports one trace from the HTTP request through Postgres, Redis and Kafka to the consumer', async () => {
    const topic = await env.kafka.topic('orders', 1);
    const run = await runFixture({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      POSTGRES_URL: env.postgres.url,
      REDIS_URL: env.redis.url,
      REDIS_PREFIX: env.redis.keyPrefix,
      KAFKA_BROKERS: env.kafka.brokers.join(','),
      TOPIC: topic,
      GROUP_ID: env.kafka.groupId('fixture'),
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(run.stderr).not.toContain('startTelemetry ran after'); // the bootstrap order is right
    expect(receiver.paths[0]).toBe('POST /v1/traces application/json');

    const spans = receiver.spans;
    const find = (predicate: (s: ReceivedSpan) => boolean, what: string): ReceivedSpan => {
      const found = spans.find(predicate);
      if (!found)
        throw new Error(`no ${what} span among ${spans.map((s) => `${s.scope}:${s.name}`).join(', ')}`);
      return found;
    };
    const scope = (name: string) => (s: ReceivedSpan) => s.scope === `@opentelemetry/instrumentation-${name}`;

    const fetchSpan = find((s) => scope('undici')(s) && s.kind === CLIENT, 'undici fetch');
    const server = find((s) => scope('http')(s) && s.kind === SERVER, 'http server');
    const select1 = find(
      (s) => scope('pg')(s) && Object.values(s.attributes).includes('SELECT 1'),
      'pg SELECT 1',
    );
    const redisSet = find((s) => scope('ioredis')(s) && s.name === 'set', 'ioredis set');
    const publish = find((s) => s.name === `publish ${topic}` && s.kind === PRODUCER, 'relay publish');
    const send = find((s) => scope('kafkajs')(s) && s.kind === PRODUCER, 'kafkajs send');
    const processSpan = find((s) => scope('kafkajs')(s) && s.kind === CONSUMER, 'kafkajs process');
    const handle = find((s) => s.name === `handle ${topic}` && s.kind === CONSUMER, 'handler');
    const handlerQuery = find(
      (s) => scope('pg')(s) && Object.values(s.attributes).includes('SELECT 2'),
      'pg SELECT 2',
    );

    // One trace, and every hop a child of the one before it.
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([fetchSpan.traceId]));
    const parentOf = (child: ReceivedSpan) => spans.find((s) => s.spanId === child.parentSpanId)?.name;
    expect(
      [server, select1, redisSet, publish, send, processSpan, handle, handlerQuery].map((s) => [
        s.name,
        parentOf(s),
      ]),
    ).toEqual([
      [server.name, fetchSpan.name],
      [select1.name, server.name],
      [redisSet.name, server.name],
      [publish.name, server.name],
      [send.name, publish.name],
      [processSpan.name, send.name],
      [handle.name, processSpan.name],
      [handlerQuery.name, handle.name],
    ]);
    // TelemetryModule names the server span by route (no Nest instrumentation for Nest 12).
    expect(server.name).toBe('POST /orders/:id');
    expect(server.attributes['http.route']).toBe('/orders/:id');
    expect(new Set(spans.map((s) => s.serviceName))).toEqual(new Set(['traced-fixture']));

    // The log line written in the request carries the server span's ids.
    const logLine = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'order placed');
    expect(logLine).toMatchObject({
      trace_id: server.traceId,
      span_id: server.spanId,
      service: 'traced-fixture',
    });
  });
});
