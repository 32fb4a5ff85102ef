import { pgSqlClient, type SqlClient, type SqlExecutor } from '@shop/persistence';
import { createTestEnvironment, type TestEnvironment } from '@shop/testing';
import type { Pool } from 'pg';
import { ConcurrencyError, DuplicateEventError } from './errors';
import type { NewEvent, StoredEvent } from './events';
import { EventStore } from './event-store';
import { migrateEventStore } from './test-support/event-store-database';

const event = (type: string, payload: unknown = {}): NewEvent => ({ type, payload });

describe('EventStore on Postgres', () => {
  let env: TestEnvironment;
  let pool: Pool;
  let client: SqlClient;
  let store: EventStore;

  beforeAll(async () => {
    env = await createTestEnvironment('event-store', { postgres: migrateEventStore });
    pool = env.postgres.pool({ max: 10 });
    client = pgSqlClient(pool);
    store = new EventStore(client);
    // Stands in for the outbox: a table the withinTransaction hook writes to.
    await pool.query('CREATE TABLE hook_rows (event_id uuid PRIMARY KEY, stream_id text NOT NULL)');
  });
  afterAll(() => env?.dispose());

  const countRows = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0]!.n);

  describe('replay', () => {
    it('loads exactly the appended history: types, payloads, metadata, versions, order', async () => {
      const streamId = 'order-replay';
      const occurredAt = new Date('2026-11-02T10:11:12.345Z');
      const batches: NewEvent[][] = [
        [
          {
            type: 'OrderPlaced',
            payload: { lines: [{ sku: 'A-1', qty: 2, price: 19.99 }], note: 'Grüße 🚚' },
          },
        ],
        [
          {
            type: 'StockReserved',
            payload: { reservation: { id: 'r1', skus: ['A-1'] }, partial: false },
            schemaVersion: 2,
            metadata: {
              correlationId: 'corr-1',
              causationId: 'cmd-1',
              traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
              tracestate: 'shop=1',
            },
            eventId: '0190a3c4-7e2b-7cc1-8f00-1234567890ab',
            occurredAt,
          },
          event('PaymentAuthorized', { amount: 3998, currency: 'EUR' }),
          { type: 'Nothing', payload: null },
        ],
        [
          event('OrderConfirmed', {
            at: '2026-11-02',
            flags: [true, false, null],
            nested: { deep: { x: -1.5 } },
          }),
        ],
      ];

      const appended: StoredEvent[] = [];
      let version = 0;
      for (const batch of batches) {
        const result = await store.append(streamId, version, batch);
        appended.push(...result.events);
        version = result.version;
      }

      const loaded = await store.load(streamId);
      expect(loaded).toEqual(appended);
      expect(loaded.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
      expect(loaded.map((e) => ({ type: e.type, payload: e.payload }))).toEqual(
        batches.flat().map((e) => ({ type: e.type, payload: e.payload })),
      );
      expect(loaded[1]).toMatchObject({
        streamType: 'order',
        schemaVersion: 2,
        eventId: '0190a3c4-7e2b-7cc1-8f00-1234567890ab',
        metadata: { correlationId: 'corr-1', causationId: 'cmd-1', tracestate: 'shop=1' },
        occurredAt,
      });
      const positions = loaded.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);

      expect(await store.load(streamId, { fromVersion: 4 })).toEqual(appended.slice(3));
      expect(await store.streamVersion(streamId)).toBe(5);
    });

    it('knows nothing of an unknown stream', async () => {
      expect(await store.load('order-never-written')).toEqual([]);
      expect(await store.streamVersion('order-never-written')).toBe(0);
      expect(await store.loadLatestSnapshot('order-never-written')).toBeNull();
    });
  });

  describe('expected version', () => {
    it("'no-stream' creates a stream once and then refuses", async () => {
      const first = await store.append('cart-ns', 'no-stream', [event('Created')]);
      expect(first.version).toBe(1);
      await expect(store.append('cart-ns', 'no-stream', [event('CreatedAgain')])).rejects.toEqual(
        new ConcurrencyError('cart-ns', 'no-stream', 1),
      );
      expect((await store.load('cart-ns')).map((e) => e.type)).toEqual(['Created']);
    });

    it("'any' appends after whatever the stream holds, creating it if needed", async () => {
      expect((await store.append('cart-any', 'any', [event('A'), event('B')])).version).toBe(2);
      expect((await store.append('cart-any', 'any', [event('C')])).version).toBe(3);
      expect((await store.load('cart-any')).map((e) => `${e.version}:${e.type}`)).toEqual([
        '1:A',
        '2:B',
        '3:C',
      ]);
    });

    it('a number must match exactly: neither behind nor ahead of the stream', async () => {
      await store.append('cart-num', 0, [event('A'), event('B')]);
      await expect(store.append('cart-num', 1, [event('Stale')])).rejects.toEqual(
        new ConcurrencyError('cart-num', 1, 2),
      );
      // Ahead of the stream would leave a hole in the versions: refused too.
      await expect(store.append('cart-num', 5, [event('Ahead')])).rejects.toEqual(
        new ConcurrencyError('cart-num', 5, 2),
      );
      await expect(store.append('cart-num', 2, [event('C')])).resolves.toMatchObject({ version: 3 });
      expect((await store.load('cart-num')).map((e) => e.version)).toEqual([1, 2, 3]);
    });

    it('an empty append only checks the version', async () => {
      await store.append('cart-empty', 'no-stream', [event('A')]);
      await expect(store.append('cart-empty', 1, [])).resolves.toEqual({ events: [], version: 1 });
      await expect(store.append('cart-empty', 0, [])).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store.append('cart-unknown', 'no-stream', [])).resolves.toEqual({
        events: [],
        version: 0,
      });
    });

    it('rejects invalid expected versions before touching the database', async () => {
      await expect(store.append('cart-bad', -1, [event('A')])).rejects.toBeInstanceOf(RangeError);
      await expect(store.append('', 0, [event('A')])).rejects.toBeInstanceOf(TypeError);
      expect(await store.streamVersion('cart-bad')).toBe(0);
    });
  });

  describe('optimistic concurrency under real races', () => {
    const STREAMS = 50;

    it('of two appends racing at the same expected version, exactly one wins (50 streams x 2 racers, twice)', async () => {
      const streams = Array.from({ length: STREAMS }, (_, i) => `race-${i}`);

      // Round 1 races to create each stream, round 2 races to extend it.
      for (const [expected, actual] of [
        ['no-stream', 1],
        [1, 2],
      ] as const) {
        const racers = streams.flatMap((streamId) =>
          [0, 1].map((racer) =>
            store.append(streamId, expected, [event('Raced', { racer, round: expected })]).then(
              (result) => ({ streamId, racer, result }),
              (error: unknown) => ({ streamId, racer, error }),
            ),
          ),
        );
        const outcomes = await Promise.all(racers);

        const wins = outcomes.filter((o) => 'result' in o);
        const losses = outcomes.filter((o) => 'error' in o);
        expect(wins).toHaveLength(STREAMS);
        expect(losses).toHaveLength(STREAMS);
        for (const loss of losses) {
          expect(loss.error).toEqual(new ConcurrencyError(loss.streamId, expected, actual));
        }
        for (const streamId of streams) {
          const winners = wins.filter((w) => w.streamId === streamId);
          expect(winners).toHaveLength(1);
          const stored = await store.load(streamId);
          expect(stored).toHaveLength(actual);
          expect(stored.at(-1)).toEqual(winners[0]!.result.events[0]);
        }
      }
    });

    it('leaves the decision to the unique (stream, version) index when the version check read a stale snapshot', async () => {
      await store.append('acct-stale', 'no-stream', [event('Opened')]);
      const attempt = client.transaction(
        async (tx) => {
          await tx.query('SELECT 1'); // REPEATABLE READ: the snapshot is fixed here, at version 1
          await store.append('acct-stale', 1, [event('Winner')]); // commits version 2 on another connection
          await store.append('acct-stale', 1, [event('Loser')], { tx }); // still sees version 1
        },
        { isolationLevel: 'RepeatableRead' },
      );
      await expect(attempt).rejects.toEqual(new ConcurrencyError('acct-stale', 1, 2));
      expect((await store.load('acct-stale')).map((e) => e.type)).toEqual(['Opened', 'Winner']);
    });

    it('refuses an event id that is already stored, with a typed error', async () => {
      const eventId = '0190a3c4-7e2b-7cc1-8f00-00000000d0d0';
      await store.append('pay-dup', 'no-stream', [{ type: 'Captured', payload: {}, eventId }]);
      const retry = store.append('pay-dup-2', 'no-stream', [{ type: 'Captured', payload: {}, eventId }]);
      await expect(retry).rejects.toBeInstanceOf(DuplicateEventError);
      expect(await store.streamVersion('pay-dup-2')).toBe(0);
    });
  });

  describe('withinTransaction hook', () => {
    const recordInHook = async (tx: SqlExecutor, stored: readonly StoredEvent[]): Promise<void> => {
      for (const e of stored)
        await tx.query('INSERT INTO hook_rows (event_id, stream_id) VALUES ($1, $2)', [
          e.eventId,
          e.streamId,
        ]);
    };

    it('commits its rows together with the events and sees them as stored', async () => {
      let seen: readonly StoredEvent[] = [];
      const result = await store.append('order-hook-ok', 'no-stream', [event('A'), event('B')], {
        withinTransaction: async (tx, stored) => {
          seen = stored;
          await recordInHook(tx, stored);
        },
      });
      expect(seen).toEqual(result.events);
      expect(await countRows('hook_rows WHERE stream_id = $1', ['order-hook-ok'])).toBe(2);
      expect(await store.streamVersion('order-hook-ok')).toBe(2);
    });

    it('stores neither the events nor its rows when it throws', async () => {
      const failure = new Error('outbox unavailable');
      const append = store.append('order-hook-fail', 'no-stream', [event('A'), event('B')], {
        withinTransaction: async (tx, stored) => {
          await recordInHook(tx, stored);
          throw failure;
        },
      });
      await expect(append).rejects.toBe(failure);
      expect(await store.load('order-hook-fail')).toEqual([]);
      expect(await countRows('hook_rows WHERE stream_id = $1', ['order-hook-fail'])).toBe(0);
      // The stream is untouched: the same append can be retried from version 0.
      await expect(store.append('order-hook-fail', 'no-stream', [event('A')])).resolves.toMatchObject({
        version: 1,
      });
    });

    it('is undone with the events when a later statement of its own transaction fails', async () => {
      const append = store.append('order-hook-late', 'no-stream', [event('A')], {
        withinTransaction: async (tx, stored) => {
          await recordInHook(tx, stored);
          await recordInHook(tx, stored); // primary key violation on hook_rows
        },
      });
      await expect(append).rejects.toMatchObject({ code: '23505', constraint: 'hook_rows_pkey' });
      expect(await store.streamVersion('order-hook-late')).toBe(0);
      expect(await countRows('hook_rows WHERE stream_id = $1', ['order-hook-late'])).toBe(0);
    });
  });

  describe("appending inside the caller's transaction", () => {
    it("commits with the caller's own writes", async () => {
      await client.transaction(async (tx) => {
        await tx.query(
          "INSERT INTO hook_rows (event_id, stream_id) VALUES (gen_random_uuid(), 'order-caller-ok')",
        );
        await store.append('order-caller-ok', 'no-stream', [event('A')], { tx });
      });
      expect(await store.streamVersion('order-caller-ok')).toBe(1);
      expect(await countRows('hook_rows WHERE stream_id = $1', ['order-caller-ok'])).toBe(1);
    });

    it("rolls back with the caller's transaction, hook rows included", async () => {
      const failure = new Error('the service changed its mind');
      const work = client.transaction(async (tx) => {
        await store.append('order-caller-undo', 'no-stream', [event('A')], {
          tx,
          withinTransaction: async (hookTx, stored) => {
            expect(hookTx).toBe(tx);
            await hookTx.query('INSERT INTO hook_rows (event_id, stream_id) VALUES ($1, $2)', [
              stored[0]!.eventId,
              'order-caller-undo',
            ]);
          },
        });
        expect(await store.streamVersion('order-caller-undo', { tx })).toBe(1); // visible inside
        throw failure;
      });
      await expect(work).rejects.toBe(failure);
      expect(await store.streamVersion('order-caller-undo')).toBe(0);
      expect(await countRows('hook_rows WHERE stream_id = $1', ['order-caller-undo'])).toBe(0);
    });
  });

  describe('snapshots', () => {
    it('keeps the latest snapshot per stream and ignores an older one saved later', async () => {
      await store.append('acct-snap', 'no-stream', [event('A'), event('B'), event('C')]);
      expect(await store.saveSnapshot('acct-snap', 2, { balance: 20 })).toBe(true);
      expect(await store.saveSnapshot('acct-snap', 3, { balance: 30 }, { schemaVersion: 2 })).toBe(true);
      expect(await store.saveSnapshot('acct-snap', 2, { balance: -1 })).toBe(false);
      expect(await store.loadLatestSnapshot('acct-snap')).toMatchObject({
        streamId: 'acct-snap',
        version: 3,
        schemaVersion: 2,
        state: { balance: 30 },
      });
      expect(await countRows('snapshots WHERE stream_id = $1', ['acct-snap'])).toBe(1);
    });
  });
});
