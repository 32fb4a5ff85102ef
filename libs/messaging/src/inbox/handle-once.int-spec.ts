import { pgSqlClient, type SqlClient, type SqlExecutor } from '@shop/persistence';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import {
  accountMessages,
  effectCounts,
  FAST_CONSUMER,
  migrateAccounts,
  recordEffect,
  shuffle,
  testMessaging,
  type DepositedEvent,
} from '../__fixtures__/accounts';
import { handle } from '../consumer/handlers';
import type { KafkaMessaging } from '../kafka/kafka-messaging';
import type { MessageConsumer } from '../ports';
import { handleOnce, purgeInbox, type InboxOutcome } from './handle-once';

describe('idempotent inbox', () => {
  let env: TestEnvironment;
  let sql: SqlClient;

  beforeAll(async () => {
    env = await createTestEnvironment('inbox', { postgres: migrateAccounts, kafka: true });
    sql = pgSqlClient(env.postgres.pool({ max: 4 }));
  });
  afterAll(() => env?.dispose());

  const { Deposited } = accountMessages('unused');
  const depositEvent = (accountId: string, version: number, cents = 10): DepositedEvent =>
    Deposited.create({
      source: 'accounts',
      aggregateId: accountId,
      aggregateVersion: version,
      payload: { cents },
    });

  describe('handleOnce on Postgres', () => {
    it('applies a message once when the same delivery races itself', async () => {
      const event = depositEvent('race', 1);
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () =>
          handleOnce(sql, 'racers', event, async (tx) => {
            await sleep(50); // the others queue behind the first inbox insert meanwhile
            await recordEffect(tx, 'racers', event);
          }),
        ),
      );
      expect(outcomes.sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      expect(await effectCounts(sql, 'racers')).toEqual([{ message_id: event.id, times: 1 }]);
    });

    it('records nothing when the effect fails, so a retry applies it', async () => {
      const event = depositEvent('flaky', 1);
      await expect(
        handleOnce(sql, 'retriers', event, async (tx) => {
          await recordEffect(tx, 'retriers', event);
          throw new Error('crashed halfway');
        }),
      ).rejects.toThrow('crashed halfway');
      expect(await effectCounts(sql, 'retriers')).toEqual([]);

      expect(await handleOnce(sql, 'retriers', event, (tx) => recordEffect(tx, 'retriers', event))).toBe(
        'applied',
      );
      expect(await handleOnce(sql, 'retriers', event, (tx) => recordEffect(tx, 'retriers', event))).toBe(
        'duplicate',
      );
      expect(await effectCounts(sql, 'retriers')).toEqual([{ message_id: event.id, times: 1 }]);
    });

    it('skips versions at or below the last applied one when asked to', async () => {
      const apply = (event: DepositedEvent) =>
        handleOnce(sql, 'latest-wins', event, (tx) => recordEffect(tx, 'latest-wins', event), {
          skipStaleVersions: true,
        });
      const outcomes: InboxOutcome[] = [];
      for (const event of [
        depositEvent('s', 2),
        depositEvent('s', 1),
        depositEvent('s', 2),
        depositEvent('s', 3),
      ])
        outcomes.push(await apply(event));
      expect(outcomes).toEqual(['applied', 'stale', 'stale', 'applied']);
      const applied = await sql.query<{ version: number }>(
        `SELECT version FROM applied_effects WHERE consumer_group = 'latest-wins' ORDER BY seq`,
      );
      expect(applied.map((r) => r.version)).toEqual([2, 3]);
    });

    it('purges old inbox rows', async () => {
      const event = depositEvent('old', 1);
      await handleOnce(sql, 'purgers', event, async () => undefined);
      await sql.query(`UPDATE inbox SET processed_at = now() - interval '2 days' WHERE message_id = $1`, [
        event.id,
      ]);
      expect(await purgeInbox(sql, 24 * 3600_000)).toBe(1);
    });
  });

  describe('through Kafka, with every message delivered twice and out of order', () => {
    let messaging: KafkaMessaging;
    const consumers: MessageConsumer[] = [];
    afterAll(async () => {
      await messaging?.close();
    });

    it('applies each message once, and with skipStaleVersions never goes back in version', async () => {
      const topic = await env.kafka.topic('deposits', 3);
      const { Deposited: DepositedOnTopic, registry } = accountMessages(topic);
      messaging = testMessaging(env.kafka.brokers, 'inbox', registry);
      const accounts = ['a', 'b', 'c', 'd', 'e'];
      const events = accounts.flatMap((account) =>
        Array.from({ length: 6 }, (_, v) =>
          DepositedOnTopic.create({
            source: 'accounts',
            aggregateId: account,
            aggregateVersion: v + 1,
            payload: { cents: 10 * (v + 1) },
          }),
        ),
      );

      const everyEvent = env.kafka.groupId('every-event');
      const latestState = env.kafka.groupId('latest-state');
      const deliveries = { [everyEvent]: 0, [latestState]: 0 };
      const outcomes: InboxOutcome[] = [];
      for (const [groupId, skipStaleVersions] of [
        [everyEvent, false],
        [latestState, true],
      ] as const) {
        consumers.push(
          messaging.consumer({
            groupId,
            ...FAST_CONSUMER,
            handlers: [
              handle(DepositedOnTopic, async (event) => {
                const effect = (tx: SqlExecutor) => recordEffect(tx, groupId, event);
                const outcome = await handleOnce(sql, groupId, event, effect, { skipStaleVersions });
                deliveries[groupId]!++; // counted once its transaction committed
                if (groupId === latestState) outcomes.push(outcome);
              }),
            ],
          }),
        );
      }
      await Promise.all(consumers.map((c) => c.start()));

      await messaging.publisher.publish(shuffle(events));
      await messaging.publisher.publish(shuffle(events));
      // At least: a rebalance may redeliver more.
      await waitFor(() => deliveries[everyEvent]! >= 60 && deliveries[latestState]! >= 60, {
        describe: () => JSON.stringify(deliveries),
      });

      // Inbox only: every event exactly once.
      const every = await effectCounts(sql, everyEvent);
      expect(every).toHaveLength(30);
      expect(every.filter((e) => e.times !== 1)).toEqual([]);

      // With the version check: no event twice, versions only go up per account,
      // the newest version of each account is applied, older late ones are skipped.
      const latest = await effectCounts(sql, latestState);
      expect(latest.filter((e) => e.times !== 1)).toEqual([]);
      const applied = await sql.query<{ account_id: string; version: number }>(
        `SELECT account_id, version FROM applied_effects WHERE consumer_group = $1 ORDER BY seq`,
        [latestState],
      );
      for (const account of accounts) {
        const versions = applied.filter((r) => r.account_id === account).map((r) => r.version);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(versions[versions.length - 1]).toBe(6);
      }
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(applied.length);
      expect(outcomes.filter((o) => o === 'duplicate').length).toBeGreaterThanOrEqual(30);
    });
  });
});
