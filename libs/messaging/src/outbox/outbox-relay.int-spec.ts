import { context, ROOT_CONTEXT, trace, type SpanContext } from '@opentelemetry/api';
import type { Consumer } from 'kafkajs';
import { Client } from 'pg';
import { register } from 'prom-client';
import { pgSqlClient, type SqlClient } from '@shop/persistence';
import { startInMemoryTelemetry, type InMemoryTelemetry } from '@shop/telemetry';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import {
  accountMessages,
  FAST_CONSUMER,
  migrateAccounts,
  quietLogger,
  testMessaging,
} from '../__fixtures__/accounts';
import { handle } from '../consumer/handlers';
import type { KafkaMessaging } from '../kafka/kafka-messaging';
import type { RecordProducer } from '../ports';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';

describe('outbox relay', () => {
  let env: TestEnvironment;
  let sql: SqlClient;
  let messaging: KafkaMessaging;
  const logger = quietLogger();

  beforeAll(async () => {
    env = await createTestEnvironment('outbox-relay', { postgres: migrateAccounts, kafka: true });
    sql = pgSqlClient(env.postgres.pool({ max: 4 }));
  });
  beforeEach(async () => {
    await sql.query('DELETE FROM outbox');
  });
  afterEach(async () => {
    await messaging?.close();
  });
  afterAll(async () => {
    await messaging?.close();
    await env?.dispose();
  });

  const setUp = async (label: string, partitions = 6) => {
    const topic = await env.kafka.topic(label, partitions);
    const messages = accountMessages(topic);
    messaging = testMessaging(env.kafka.brokers, label, messages.registry, logger);
    return { topic, ...messages, outbox: new OutboxWriter({ registry: messages.registry }) };
  };

  /** Every message of `topic` as (key, aggregateVersion, traceparent), in partition order. */
  const readTopic = async (topic: string, expected: number) => {
    const seen: { key: string; version: number; traceparent?: string }[] = [];
    const reader: Consumer = env.kafka.client('reader').consumer({
      groupId: env.kafka.groupId('reader'),
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const envelope = JSON.parse(message.value!.toString()) as { aggregateVersion: number };
        seen.push({
          key: message.key!.toString(),
          version: envelope.aggregateVersion,
          traceparent: message.headers?.traceparent?.toString(),
        });
      },
    });
    try {
      await waitFor(() => seen.length >= expected, { describe: () => `${seen.length} of ${expected} read` });
    } finally {
      await reader.disconnect();
    }
    return seen;
  };

  it('keeps each aggregate in order with two relays publishing concurrently, and reports the backlog', async () => {
    const { topic, Deposited, outbox } = await setUp('ordered');
    const aggregates = Array.from({ length: 8 }, (_, i) => `order-${i}`);
    const versions = 40;
    for (let version = 1; version <= versions; version++) {
      // One transaction per round: the outbox interleaves the aggregates, and
      // every batch holds several versions of the same aggregates.
      await sql.transaction((tx) =>
        outbox.enqueue(
          tx,
          aggregates.map((id) =>
            Deposited.create({
              source: 'orders',
              aggregateId: id,
              aggregateVersion: version,
              payload: { cents: 1 },
            }),
          ),
        ),
      );
    }
    const total = aggregates.length * versions;

    // Two instances as in production: each its own producer. Relay 0 sits on a
    // slow path, so a relay that claimed rows behind its batch would overtake it.
    const secondProducer = testMessaging(env.kafka.brokers, 'second-relay', messaging.registry, logger);
    const slowProducer: RecordProducer = {
      send: async (records) => {
        await sleep(40);
        await messaging.producer.send(records);
      },
    };
    const published = [0, 0];
    let releaseFirstBatch!: () => void;
    const firstBatchHeld = new Promise<void>((resolve) => (releaseFirstBatch = resolve));
    let firstBatchReached!: () => void;
    const firstBatchPublished = new Promise<void>((resolve) => (firstBatchReached = resolve));
    const relays = [slowProducer, secondProducer.producer].map(
      (producer, i) =>
        new OutboxRelay({
          sql,
          producer,
          name: 'orders',
          batchSize: 20,
          pollIntervalMs: 10,
          logger,
          hooks: {
            async afterPublish(rows) {
              if (i === 0 && published[0] === 0) {
                firstBatchReached();
                await firstBatchHeld; // hold relay 0's first round open (rows claimed, not yet marked)
              }
              published[i]! += rows.length;
            },
          },
        }),
    );
    try {
      await relays[0]!.start();
      await firstBatchPublished;
      expect(await relays[0]!.backlog()).toEqual({ count: total, oldestAgeSeconds: expect.any(Number) });
      expect(await gauge('shop_outbox_backlog_messages')).toBe(total);
      expect(await gauge('shop_outbox_oldest_unpublished_age_seconds')).toBeGreaterThan(0);

      await relays[1]!.start();
      releaseFirstBatch();
      await waitFor(async () => (await relays[0]!.backlog()).count === 0, {
        describe: () => `published ${published.join(' + ')} of ${total}`,
      });
      expect(await gauge('shop_outbox_backlog_messages')).toBe(0);
      expect(await gauge('shop_outbox_oldest_unpublished_age_seconds')).toBe(0);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await secondProducer.close();
    }

    expect(published[0]! + published[1]!).toBe(total); // no crash, so no message twice
    expect(published[0]).toBeGreaterThan(0);
    expect(published[1]).toBeGreaterThan(0);

    const seen = await readTopic(topic, total);
    for (const id of aggregates) {
      const order = seen.filter((s) => s.key === id).map((s) => s.version);
      expect(order).toEqual(Array.from({ length: versions }, (_, v) => v + 1));
    }
  });

  it('wakes up on NOTIFY instead of waiting for the next poll', async () => {
    const { Deposited, registry } = await setUp('notify');
    const outbox = new OutboxWriter({ registry, notifyChannel: 'outbox_written' });
    const listener = new Client({ connectionString: env.postgres.url });
    await listener.connect();
    const relay = new OutboxRelay({
      sql,
      producer: messaging.producer,
      pollIntervalMs: 600_000, // only a notification can wake it within the test
      listen: { client: listener, channel: 'outbox_written' },
      logger,
    });
    try {
      await relay.start();
      await waitFor(async () => (await relay.backlog()).count === 0); // first (empty) round done
      await sql.transaction((tx) =>
        outbox.enqueue(
          tx,
          Deposited.create({ source: 'a', aggregateId: 'n-1', aggregateVersion: 1, payload: { cents: 5 } }),
        ),
      );
      await waitFor(async () => (await relay.backlog()).count === 0, { describe: () => 'not woken up' });
      const [row] = await sql.query<{ published: boolean }>(
        'SELECT published_at IS NOT NULL AS published FROM outbox',
      );
      expect(row!.published).toBe(true);
    } finally {
      await relay.stop();
      await listener.end();
    }
  });

  it('publishes every message twice under the duplicate-delivery chaos switch, each copy right after its original', async () => {
    const { topic, Deposited, outbox } = await setUp('duplicated', 1);
    await sql.transaction(async (tx) => {
      for (let version = 1; version <= 3; version++)
        await outbox.enqueue(
          tx,
          Deposited.create({
            source: 'a',
            aggregateId: 'dup-1',
            aggregateVersion: version,
            payload: { cents: 1 },
          }),
        );
    });
    const relay = new OutboxRelay({ sql, producer: messaging.producer, duplicateEveryMessage: true, logger });
    expect(await relay.publishPending()).toBe(3);
    const seen = await readTopic(topic, 6);
    expect(seen.map((s) => s.version)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  describe('with telemetry started', () => {
    let telemetry: InMemoryTelemetry;
    beforeAll(() => {
      telemetry = startInMemoryTelemetry('outbox-relay-spec');
    });
    afterAll(() => telemetry?.handle.shutdown());

    it('publishes in the trace of the request that wrote the row, and the handler runs in it', async () => {
      const { topic, Deposited, outbox } = await setUp('traced', 1);
      const request = trace.getTracer('spec').startSpan('POST /deposits');
      await context.with(trace.setSpan(ROOT_CONTEXT, request), () =>
        sql.transaction((tx) =>
          outbox.enqueue(
            tx,
            Deposited.create({ source: 'a', aggregateId: 't-1', aggregateVersion: 1, payload: { cents: 1 } }),
          ),
        ),
      );
      request.end();
      // The relay runs outside any trace, later.
      const relay = new OutboxRelay({ sql, producer: messaging.producer, logger });
      await relay.publishPending();

      let handlerSpan: SpanContext | undefined;
      const consumer = messaging.consumer({
        groupId: env.kafka.groupId('traced'),
        ...FAST_CONSUMER,
        handlers: [
          handle(Deposited, async () => {
            handlerSpan = trace.getActiveSpan()?.spanContext();
          }),
        ],
      });
      await consumer.start();
      try {
        await waitFor(() => handlerSpan !== undefined);
      } finally {
        await consumer.stop();
      }

      const spans = await telemetry.spans();
      const producer = spans.find((s) => s.name === `${topic} publish`)!;
      const processing = spans.find((s) => s.name === `${topic} process`)!;
      const { traceId, spanId } = request.spanContext();
      expect(producer.parentSpanContext?.spanId).toBe(spanId);
      expect(processing.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      expect(handlerSpan).toEqual(processing.spanContext());
      expect(new Set([producer, processing].map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
      const [published] = await readTopic(topic, 1);
      expect(published!.traceparent).toBe(`00-${traceId}-${producer.spanContext().spanId}-01`);
    });
  });
});

/** A backlog gauge of the 'orders' outbox, as GET /metrics (the default registry) serves it. */
async function gauge(name: string): Promise<number | undefined> {
  const metric = (await register.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => v.labels.outbox === 'orders')?.value;
}
