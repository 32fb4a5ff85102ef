/**
 * Event store appends/s against raw INSERTs into the same table, in one run:
 *   npm run bench -- event-store
 * The store adds to each append: a transaction, the append lock (appends to
 * one store commit one at a time, see src/append-lock.ts), the expected-
 * version check and the returned rows. The raw baseline is one autocommitted
 * INSERT of the same rows into the same table with the same indexes.
 */
import { pgSqlClient } from '@shop/persistence';
import {
  createTestDatabase,
  measureThroughput,
  printFigures,
  quantile,
  type BenchFigure,
} from '@shop/testing';
import { uuidv7 } from '@shop/contracts';
import { EventStore, type NewEvent } from '../src';
import { migrateEventStore } from '../src/test-support/event-store-database';

const WRITERS = 4;
const STREAMS = 500;
const SINGLE_APPENDS = 2_000;
const BATCH_APPENDS = 400;
const BATCH_SIZE = 10;

const payload = {
  orderId: '0190a3c4-7e2b-7cc1-8f00-1234567890ab',
  customerId: 'c-42',
  lines: [
    { sku: 'SKU-1001', quantity: 2, unitPrice: 1999 },
    { sku: 'SKU-2002', quantity: 1, unitPrice: 4999 },
  ],
  total: 8997,
  currency: 'EUR',
};
const metadata = {
  correlationId: 'corr',
  causationId: 'cause',
  traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
};
const newEvent = (): NewEvent => ({ type: 'OrderPlaced', payload, metadata });

const RAW_INSERT = `
INSERT INTO events (stream_id, stream_type, version, event_id, type, payload, metadata)
SELECT $1, 'raw', e.n, gen_random_uuid(), 'OrderPlaced', $2::jsonb, $3::jsonb
FROM generate_series(1, $4::int) AS e(n)`;

interface Run {
  perSecond: number;
  p99Ms: number;
}

async function timed(
  count: number,
  concurrency: number,
  operation: (i: number) => Promise<unknown>,
): Promise<Run> {
  const latencies: number[] = [];
  const result = await measureThroughput(count, concurrency, async (i) => {
    const started = process.hrtime.bigint();
    await operation(i);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  });
  return { perSecond: result.perSecond, p99Ms: quantile(latencies, 0.99) };
}

async function main(): Promise<void> {
  const db = await createTestDatabase('event-store-bench', migrateEventStore);
  const pool = db.pool({ max: WRITERS + 1 });
  const store = new EventStore(pgSqlClient(pool));
  await pool.query(
    'CREATE TABLE outbox (id uuid PRIMARY KEY, topic text NOT NULL, key text NOT NULL, value jsonb NOT NULL)',
  );
  let run = 0;
  const rawInsert = (events: number) => () =>
    pool.query(RAW_INSERT, [
      `raw-${run}-${uuidv7()}`,
      JSON.stringify(payload),
      JSON.stringify(metadata),
      events,
    ]);
  const append =
    (events: number, withOutbox = false) =>
    (i: number) =>
      store.append(`order-${run}-${i % STREAMS}`, 'any', Array.from({ length: events }, newEvent), {
        withinTransaction: withOutbox
          ? async (tx, stored) => {
              for (const e of stored)
                await tx.query('INSERT INTO outbox (id, topic, key, value) VALUES ($1, $2, $3, $4::jsonb)', [
                  e.eventId,
                  'order.events',
                  e.streamId,
                  JSON.stringify(e.payload),
                ]);
            }
          : undefined,
      });
  const measure = async (
    count: number,
    concurrency: number,
    op: (i: number) => Promise<unknown>,
  ): Promise<Run> => {
    run++;
    return timed(count, concurrency, op);
  };

  try {
    await measure(300, WRITERS, append(1)); // warm-up: connections, plans, caches
    await measure(300, WRITERS, rawInsert(1));

    const rawOne = await measure(SINGLE_APPENDS, 1, rawInsert(1));
    const storeOne = await measure(SINGLE_APPENDS, 1, append(1));
    const rawMany = await measure(SINGLE_APPENDS, WRITERS, rawInsert(1));
    const storeMany = await measure(SINGLE_APPENDS, WRITERS, append(1));
    const storeOutbox = await measure(SINGLE_APPENDS, WRITERS, append(1, true));
    const rawBatch = await measure(BATCH_APPENDS, WRITERS, rawInsert(BATCH_SIZE));
    const storeBatch = await measure(BATCH_APPENDS, WRITERS, append(BATCH_SIZE));

    const ratio = (value: number, baseline: number): string => `${(value / baseline).toFixed(2)}x raw`;
    const p99 = (r: Run): string => `p99 ${r.p99Ms.toFixed(1)} ms`;
    const figures: BenchFigure[] = [
      {
        name: 'raw INSERT, 1 event, 1 writer (baseline)',
        value: rawOne.perSecond,
        unit: 'events/s',
        note: p99(rawOne),
      },
      {
        name: 'append 1 event, 1 writer',
        value: storeOne.perSecond,
        unit: 'events/s',
        note: `${ratio(storeOne.perSecond, rawOne.perSecond)}, ${p99(storeOne)}`,
      },
      {
        name: `raw INSERT, 1 event, ${WRITERS} writers (baseline)`,
        value: rawMany.perSecond,
        unit: 'events/s',
        note: p99(rawMany),
      },
      {
        name: `append 1 event, ${WRITERS} writers, ${STREAMS} streams`,
        value: storeMany.perSecond,
        unit: 'events/s',
        note: `${ratio(storeMany.perSecond, rawMany.perSecond)}, ${p99(storeMany)}`,
      },
      {
        name: `append 1 event + outbox row in withinTransaction, ${WRITERS} writers`,
        value: storeOutbox.perSecond,
        unit: 'events/s',
        note: `${ratio(storeOutbox.perSecond, rawMany.perSecond)}, ${p99(storeOutbox)}`,
      },
      {
        name: `raw INSERT of ${BATCH_SIZE} rows, ${WRITERS} writers (baseline)`,
        value: rawBatch.perSecond * BATCH_SIZE,
        unit: 'events/s',
        note: p99(rawBatch),
      },
      {
        name: `append ${BATCH_SIZE} events, ${WRITERS} writers`,
        value: storeBatch.perSecond * BATCH_SIZE,
        unit: 'events/s',
        note: `${ratio(storeBatch.perSecond, rawBatch.perSecond)}, ${storeBatch.perSecond.toFixed(0)} appends/s, ${p99(storeBatch)}`,
      },
    ];
    printFigures('Event store appends (libs/event-store/bench/append.bench.ts)', figures);
  } finally {
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
