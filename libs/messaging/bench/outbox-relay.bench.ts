/**
 * Outbox relay throughput: rows enqueued beforehand, time until Kafka (the
 * dev broker, acks = all) acknowledged all of them and they are marked
 * published. Beside it, in the same run and database: a raw multi-row INSERT
 * of the same rows into a plain table (the cheapest way to get them into
 * Postgres at all) and the OutboxWriter's own enqueue rate.
 *
 *   npm run bench -- messaging
 */
import { z } from 'zod';
import { defineMessage, MessageRegistry, type MessageEnvelope } from '@shop/contracts';
import { migrateToSchema, pgSqlClient, type SqlClient } from '@shop/persistence';
import { createTestDatabase, createTestKafka, printFigures, type BenchFigure } from '@shop/testing';
import { logLevel } from 'kafkajs';
import { KafkaMessaging, OUTBOX_SCHEMA, OutboxRelay, OutboxWriter, outboxRows } from '../src';

const EVENTS = 20_000;
const AGGREGATES = 500;
const BATCH = 200;
const quiet = { info: () => undefined, warn: () => undefined, error: console.error };

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_outbox', (url) => migrateToSchema(url, [OUTBOX_SCHEMA]));
  const kafka = await createTestKafka('bench-outbox');
  const sql = pgSqlClient(db.pool({ max: 4 }));
  try {
    const topic = await kafka.topic('orders', 6);
    const Placed = defineMessage({
      type: 'OrderPlaced',
      version: 1,
      topic,
      schema: z.object({ customerId: z.string(), totalCents: z.number().int(), lines: z.number().int() }),
    });
    const registry = new MessageRegistry([Placed]);
    const events = Array.from({ length: EVENTS }, (_, i) =>
      Placed.create({
        source: 'bench',
        aggregateId: `order-${i % AGGREGATES}`,
        aggregateVersion: Math.floor(i / AGGREGATES) + 1,
        payload: { customerId: `customer-${i % 97}`, totalCents: 1000 + i, lines: 1 + (i % 5) },
      }),
    );
    const messaging = new KafkaMessaging({
      clientId: 'bench',
      brokers: kafka.brokers,
      registry,
      client: { logLevel: logLevel.NOTHING },
      logger: quiet,
    });
    const extra = new KafkaMessaging({
      clientId: 'bench-2',
      brokers: kafka.brokers,
      registry,
      logger: quiet,
    });

    const baseline = await rawInsertBaseline(sql, registry, events);
    const enqueue = await timed(EVENTS, () => enqueueAll(sql, new OutboxWriter({ registry }), events));
    const oneRelay = await timed(EVENTS, () => drain(sql, [messaging], BATCH));
    await resetOutbox(sql);
    const twoRelays = await timed(EVENTS, () => drain(sql, [messaging, extra], BATCH));
    await resetOutbox(sql);
    const bigBatches = await timed(EVENTS, () => drain(sql, [messaging], 1000));
    await Promise.all([messaging.close(), extra.close()]);

    const ratio = (perSecond: number) => `${(perSecond / baseline).toFixed(2)}x raw INSERT`;
    const figures: BenchFigure[] = [
      {
        name: `raw INSERT of the rows (batches of ${BATCH})`,
        value: baseline,
        unit: 'rows/s',
        note: 'baseline',
      },
      {
        name: 'OutboxWriter.enqueue (one transaction per 200)',
        value: enqueue,
        unit: 'events/s',
        note: ratio(enqueue),
      },
      { name: `relay, 1 instance, batch ${BATCH}`, value: oneRelay, unit: 'events/s', note: ratio(oneRelay) },
      {
        name: `relay, 2 instances, batch ${BATCH}`,
        value: twoRelays,
        unit: 'events/s',
        note: ratio(twoRelays),
      },
      { name: 'relay, 1 instance, batch 1000', value: bigBatches, unit: 'events/s', note: ratio(bigBatches) },
    ];
    printFigures(
      `Outbox relay: ${EVENTS} events over ${AGGREGATES} aggregates to the dev broker (acks=all)`,
      figures,
    );
  } finally {
    await kafka.dispose();
    await db.drop();
  }
}

/** The same rows, same multi-row INSERT statement shape, into a table with no outbox semantics. */
async function rawInsertBaseline(
  sql: SqlClient,
  registry: MessageRegistry,
  events: MessageEnvelope[],
): Promise<number> {
  await sql.query('CREATE TABLE baseline (LIKE outbox INCLUDING DEFAULTS)');
  await sql.query('CREATE SEQUENCE baseline_seq');
  await sql.query(`ALTER TABLE baseline ALTER COLUMN sequence SET DEFAULT nextval('baseline_seq')`);
  const rows = outboxRows(registry, events);
  return timed(events.length, async () => {
    for (let i = 0; i < rows.length; i += BATCH) {
      await sql.query(
        `INSERT INTO baseline (id, topic, key, type, version, headers, envelope)
         SELECT (m->>'id')::uuid, m->>'topic', m->>'key', m->>'type', (m->>'version')::int, m->'headers', m->'envelope'
         FROM jsonb_array_elements($1::jsonb) AS rows(m)`,
        [JSON.stringify(rows.slice(i, i + BATCH))],
      );
    }
  });
}

async function enqueueAll(sql: SqlClient, outbox: OutboxWriter, events: MessageEnvelope[]): Promise<void> {
  for (let i = 0; i < events.length; i += BATCH)
    await sql.transaction((tx) => outbox.enqueue(tx, events.slice(i, i + BATCH)));
}

/** Runs one relay per producer until every row is published. */
async function drain(sql: SqlClient, producers: KafkaMessaging[], batchSize: number): Promise<void> {
  let published = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const relays = producers.map(
    (m, i) =>
      new OutboxRelay({
        sql,
        producer: m.producer,
        name: `bench-${i}`,
        batchSize,
        pollIntervalMs: 5,
        logger: quiet,
        hooks: {
          afterPublish: (rows) => {
            published += rows.length;
          },
        },
      }),
  );
  const watch = setInterval(() => {
    void relays[0]!.backlog().then((b) => b.count === 0 && published >= EVENTS && done());
  }, 20);
  await Promise.all(relays.map((r) => r.start()));
  await finished;
  clearInterval(watch);
  await Promise.all(relays.map((r) => r.stop()));
}

async function resetOutbox(sql: SqlClient): Promise<void> {
  await sql.query('UPDATE outbox SET published_at = NULL, attempts = 0');
  await sql.query('VACUUM ANALYZE outbox');
}

async function timed(operations: number, work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return operations / (Number(process.hrtime.bigint() - started) / 1e9);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
