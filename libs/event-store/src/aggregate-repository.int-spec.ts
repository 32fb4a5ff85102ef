import { pgSqlClient, type SqlClient } from '@shop/persistence';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import type { Pool } from 'pg';
import { AggregateRepository, type AggregateDefinition } from './aggregate-repository';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';
import { rehydrate } from './rehydrate';
import {
  accountHistory,
  evolveAccount,
  initialAccount,
  type AccountEvent,
  type AccountState,
} from './test-support/bank-account';
import { gate, migrateEventStore } from './test-support/event-store-database';

const SNAPSHOT_EVERY = 5;
const account: AggregateDefinition<AccountState, AccountEvent> = {
  streamType: 'account',
  initialState: initialAccount,
  evolve: evolveAccount,
  snapshotEvery: SNAPSHOT_EVERY,
};

describe('AggregateRepository: snapshot + tail', () => {
  let env: TestEnvironment;
  let pool: Pool;
  let client: SqlClient;
  let store: EventStore;
  let accounts: AggregateRepository<AccountState, AccountEvent>;

  beforeAll(async () => {
    env = await createTestEnvironment('event-store-aggregates', { postgres: migrateEventStore });
    pool = env.postgres.pool({ max: 8 });
    client = pgSqlClient(pool);
    store = new EventStore(client);
    accounts = new AggregateRepository(store, account);
  });
  afterAll(() => env?.dispose());

  /** Saves `history` through the repository in batches of the given sizes, reloading before each. */
  async function saveInBatches(id: string, history: AccountEvent[], sizes: number[]): Promise<void> {
    let next = 0;
    for (let b = 0; next < history.length; b++) {
      const size = sizes[b % sizes.length]!;
      const loaded = await accounts.load(id);
      await accounts.save(loaded, history.slice(next, next + size), { metadata: { correlationId: id } });
      next += size;
    }
  }

  it('loads the same state from snapshot + tail as from a full replay', async () => {
    const history = accountHistory(23);
    await saveInBatches('a1', history, [1, 2, 3, 1, 4]);

    const snapshot = await store.loadLatestSnapshot<AccountState>(accounts.streamId('a1'));
    // Batches end at 1,3,6,7,11,12,14,17,18,22,23: snapshots at 6, 11, 17 and 22.
    expect(snapshot?.version).toBe(22);

    const stored = await store.load(accounts.streamId('a1'));
    const fullReplay = rehydrate(
      initialAccount,
      evolveAccount,
      stored.map((e) => ({ type: e.type, payload: e.payload }) as AccountEvent),
    );
    const expected = rehydrate(initialAccount, evolveAccount, history);
    expect(fullReplay).toEqual(expected);
    expect(snapshot!.state).toEqual(rehydrate(initialAccount, evolveAccount, history.slice(0, 22)));

    const loaded = await accounts.load('a1');
    expect(loaded).toEqual({ id: 'a1', state: expected, version: 23 });
    expect(stored.every((e) => e.metadata.correlationId === 'a1')).toBe(true);
  });

  it('really starts from the snapshot, and ignores snapshots of another state shape', async () => {
    await saveInBatches('a2', accountHistory(12), [12]);
    const streamId = accounts.streamId('a2');
    const snapshot = (await store.loadLatestSnapshot<AccountState>(streamId))!;
    expect(snapshot.version).toBe(12);

    // A marked snapshot at version 10: load must apply only events 11 and 12 on top of it.
    const atTen = rehydrate(initialAccount, evolveAccount, accountHistory(10));
    await pool.query('DELETE FROM snapshots WHERE stream_id = $1', [streamId]);
    await store.saveSnapshot(streamId, 10, { ...atTen, owner: 'from-snapshot' });
    const fromSnapshot = await accounts.load('a2');
    expect(fromSnapshot.version).toBe(12);
    expect(fromSnapshot.state).toEqual({
      ...rehydrate(initialAccount, evolveAccount, accountHistory(12)),
      owner: 'from-snapshot',
    });

    await store.saveSnapshot(streamId, 12, { ...snapshot.state, owner: 'wrong-shape' }, { schemaVersion: 2 });
    expect((await accounts.load('a2')).state.owner).toBe('Ada'); // full replay
  });

  it('takes no snapshot for an append that rolled back', async () => {
    const id = 'a3';
    await saveInBatches(id, accountHistory(4), [4]);
    const loaded = await accounts.load(id);
    const failure = new Error('outbox down');
    const save = accounts.save(loaded, accountHistory(6).slice(4), {
      withinTransaction: async () => {
        throw failure;
      },
    });
    await expect(save).rejects.toBe(failure);
    expect(await store.loadLatestSnapshot(accounts.streamId(id))).toBeNull();
    expect(await accounts.load(id)).toEqual(loaded);
  });

  it('returns the initial state at version 0 for an aggregate without events', async () => {
    expect(await accounts.load('nobody')).toEqual({ id: 'nobody', state: initialAccount, version: 0 });
  });

  it('save refuses a stale aggregate; execute reloads and decides again', async () => {
    const id = 'a4';
    await saveInBatches(id, accountHistory(1), [1]);
    const stale = await accounts.load(id);
    await accounts.save(stale, [{ type: 'MoneyDeposited', payload: { amount: 1, reference: 'first' } }]);
    await expect(
      accounts.save(stale, [{ type: 'MoneyDeposited', payload: { amount: 1, reference: 'second' } }]),
    ).rejects.toEqual(new ConcurrencyError(accounts.streamId(id), 1, 2));

    // Five concurrent deposits: each loses at most four races, so five attempts always suffice.
    const deposits = [100, 200, 300, 400, 500];
    const results = await Promise.all(
      deposits.map((amount) =>
        accounts.execute(
          id,
          (state) =>
            state.frozen ? [] : [{ type: 'MoneyDeposited', payload: { amount, reference: `c${amount}` } }],
          { attempts: deposits.length },
        ),
      ),
    );
    expect(results.map((r) => r.events.length)).toEqual([1, 1, 1, 1, 1]);
    const final = await accounts.load(id);
    expect(final.version).toBe(7);
    expect(final.state.balanceCents).toBe(1 + 1500);
  });

  it('execute retries when another writer commits between its load and its append', async () => {
    const id = 'a5';
    await saveInBatches(id, accountHistory(1), [1]);
    const appended = gate();
    const commit = gate();
    // Another writer appends version 2 in a transaction it keeps open for now.
    const other = client.transaction(async (tx) => {
      await accounts.save(
        await accounts.load(id),
        [{ type: 'AccountFrozen', payload: { reason: 'audit' } }],
        {
          tx,
        },
      );
      appended.open();
      await commit.opened;
    });
    await appended.opened;

    const decisions: AccountState[] = [];
    const executing = accounts.execute(id, (state) => {
      decisions.push(state);
      return [{ type: 'MoneyDeposited', payload: { amount: 50, reference: 'retry' } }];
    });
    // execute has loaded version 1 and now waits for the append lock the other writer holds.
    await waitFor(async () => {
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      return Number(rows[0]!.n) > 0;
    });
    commit.open();
    await other;

    const result = await executing;
    expect(decisions.map((d) => d.frozen)).toEqual([false, true]); // decided twice, the second time on version 2
    expect(result.aggregate.version).toBe(3);
    expect((await store.load(accounts.streamId(id))).map((e) => e.type)).toEqual([
      'AccountOpened',
      'AccountFrozen',
      'MoneyDeposited',
    ]);
  });
});
