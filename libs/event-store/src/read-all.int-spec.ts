import { uuidv7 } from '@shop/contracts';
import { pgSqlClient } from '@shop/persistence';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import { Client, type Pool } from 'pg';
import type { StoredEvent } from './events';
import { EventStore, type ReadAllOptions } from './event-store';
import { gate, migrateEventStore } from './test-support/event-store-database';

/** A projection's reader: remembers the last position it processed and asks for what comes after. */
function checkpointReader(store: EventStore, options: Omit<ReadAllOptions, 'afterPosition'>) {
  let checkpoint = 0;
  const seen: StoredEvent[] = [];
  return {
    seen,
    /** Reads one page; returns how many events it got. */
    async poll(): Promise<number> {
      const page = await store.readAll({ ...options, afterPosition: checkpoint });
      seen.push(...page);
      checkpoint = page.at(-1)?.position ?? checkpoint;
      return page.length;
    },
  };
}

describe('EventStore.readAll: the global position as a projection checkpoint', () => {
  let env: TestEnvironment;
  let pool: Pool;
  let store: EventStore;

  beforeAll(async () => {
    env = await createTestEnvironment('event-store-read-all', { postgres: migrateEventStore });
    pool = env.postgres.pool({ max: 12 });
    store = new EventStore(pgSqlClient(pool));
  });
  afterAll(() => env?.dispose());

  /** Backends of this database blocked on a lock (row, advisory, ...). */
  const blockedBackends = async (): Promise<number> => {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return Number(rows[0]!.n);
  };

  it('(control) on a plain sequence, positions commit out of order and a naive reader skips one', async () => {
    // Why the rule below is needed at all: the same table shape without the append lock.
    await pool.query('CREATE TABLE naive_events (position bigserial PRIMARY KEY, type text NOT NULL)');
    const slow = new Client({ connectionString: env.postgres.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query("INSERT INTO naive_events (type) VALUES ('Slow')"); // takes position 1, stays open
      await pool.query("INSERT INTO naive_events (type) VALUES ('Fast')"); // takes position 2, commits
      const first = await pool.query<{ position: string }>(
        'SELECT position FROM naive_events WHERE position > 0',
      );
      const checkpoint = Number(first.rows.at(-1)!.position);
      await slow.query('COMMIT');
      const next = await pool.query('SELECT * FROM naive_events WHERE position > $1', [checkpoint]);
      expect(checkpoint).toBe(2);
      expect(next.rows).toEqual([]); // 'Slow' (position 1) is committed and was never returned
    } finally {
      await slow.end();
    }
  });

  it('never lets a checkpoint pass an event whose transaction is still open', async () => {
    const inserted = gate();
    const release = gate();
    const slow = store.append('held-slow', 'no-stream', [{ type: 'Slow', payload: {} }], {
      streamType: 'held',
      withinTransaction: async () => {
        inserted.open(); // the event row exists (with its position), uncommitted
        await release.opened;
      },
    });
    await inserted.opened;

    let fastSettled = false;
    const fast = store
      .append('held-fast', 'no-stream', [{ type: 'Fast', payload: {} }], { streamType: 'held' })
      .finally(() => (fastSettled = true));
    // Let the second append get as far as it can: committed, or parked behind the open one.
    await waitFor(async () => fastSettled || (await blockedBackends()) > 0, {
      describe: () => 'the second append neither committed nor waited',
    });

    const reader = checkpointReader(store, { streamType: 'held' });
    await reader.poll(); // a naive store would hand out 'Fast' here and move the checkpoint past 'Slow'
    release.open();
    await Promise.all([slow, fast]);
    while ((await reader.poll()) > 0);

    expect(reader.seen.map((e) => e.type)).toEqual(['Slow', 'Fast']);
    expect(reader.seen[0]!.position).toBeLessThan(reader.seen[1]!.position);
  });

  it('returns every committed event exactly once, in increasing positions, while concurrent appenders commit', async () => {
    const WRITERS = 8;
    const APPENDS_PER_WRITER = 40;
    const committed = new Set<string>();
    const rolledBack = new Set<string>();

    const writer = async (w: number): Promise<void> => {
      for (let i = 0; i < APPENDS_PER_WRITER; i++) {
        const events = Array.from({ length: 1 + ((w + i) % 3) }, (_, k) => ({
          type: 'Tick',
          payload: { w, i, k },
          eventId: uuidv7(),
        }));
        const rollBack = (w * APPENDS_PER_WRITER + i) % 9 === 4; // leaves holes in the sequence
        try {
          const result = await store.append(`stress-${w}-${i % 4}`, 'any', events, {
            streamType: 'stress',
            // Hold the transaction open after the insert for a varying time, so that
            // without the visibility rule later positions would commit first.
            withinTransaction: async () => {
              await sleep((w + i) % 4);
              if (rollBack) throw new Error('roll back');
            },
          });
          for (const e of result.events) committed.add(e.eventId);
        } catch (err) {
          if (!rollBack) throw err;
          for (const e of events) rolledBack.add(e.eventId);
        }
      }
    };

    let writing = true;
    const reader = checkpointReader(store, { streamType: 'stress', limit: 7 });
    const reading = (async () => {
      for (;;) {
        const finalPass = !writing; // decided before the poll: the last poll starts after every commit
        const got = await reader.poll();
        if (finalPass && got === 0) return;
        if (got === 0) await sleep(1);
      }
    })();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await reading;

    const positions = reader.seen.map((e) => e.position);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
    const seenIds = reader.seen.map((e) => e.eventId);
    expect(new Set(seenIds).size).toBe(seenIds.length); // exactly once
    expect(new Set(seenIds)).toEqual(committed); // every committed event
    expect(seenIds.filter((id) => rolledBack.has(id))).toEqual([]);
    expect(rolledBack.size).toBeGreaterThan(0);

    const { rows } = await pool.query<{ event_id: string }>(
      "SELECT event_id FROM events WHERE stream_type = 'stress'",
    );
    expect(new Set(rows.map((r) => r.event_id))).toEqual(committed);
  });

  it('pages through everything with a limit and can filter by stream type', async () => {
    await store.append(
      'page-a',
      'no-stream',
      [1, 2, 3].map((n) => ({ type: 'P', payload: { n } })),
      {
        streamType: 'paging',
      },
    );
    await store.append('other-a', 'no-stream', [{ type: 'O', payload: {} }], { streamType: 'other' });
    await store.append(
      'page-b',
      'no-stream',
      [4, 5].map((n) => ({ type: 'P', payload: { n } })),
      {
        streamType: 'paging',
      },
    );

    const reader = checkpointReader(store, { streamType: 'paging', limit: 2 });
    while ((await reader.poll()) > 0);
    expect(reader.seen.map((e) => (e.payload as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);

    const everything = await store.readAll({ afterPosition: 0, limit: 10_000 });
    expect(everything.some((e) => e.streamType === 'other')).toBe(true);
    await expect(store.readAll({ limit: 0 })).rejects.toBeInstanceOf(RangeError);
  });
});
