import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pgSqlClient, type SqlClient } from '@shop/persistence';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { handle } from '../consumer/handlers';
import { handleOnce } from '../inbox/handle-once';
import type { KafkaMessaging } from '../kafka/kafka-messaging';
import type { MessageConsumer } from '../ports';
import {
  accountMessages,
  deposit,
  effectCounts,
  FAST_CONSUMER,
  migrateAccounts,
  quietLogger,
  recordEffect,
  testMessaging,
} from '../__fixtures__/accounts';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';

const ROOT = join(__dirname, '../../../..');

/**
 * The whole exactly-once-effects chain under faults: deposits write state and
 * event in one transaction; a relay process is SIGKILLed after Kafka took its
 * batch but before marking it; then every broker goes down while another
 * relay runs and more deposits come in. After recovery every event is
 * published, some twice, and the consumer's inbox applies each exactly once.
 */
describe('outbox + inbox through a relay crash and a Kafka outage', () => {
  let env: TestEnvironment;
  let sql: SqlClient;
  let consumer: MessageConsumer | undefined;
  let messaging: KafkaMessaging;
  const logger = quietLogger();

  beforeAll(async () => {
    env = await createTestEnvironment('outbox-e2e', {
      postgres: migrateAccounts,
      kafka: { dedicatedBroker: true },
    });
    sql = pgSqlClient(env.postgres.pool({ max: 4 }));
  });
  afterAll(async () => {
    await consumer?.stop();
    await messaging?.close();
    await env?.dispose();
  });

  it('publishes every event and applies each exactly once', async () => {
    const faults = env.kafka.faults!;
    const topic = await env.kafka.topic('accounts', 3);
    const { Deposited, registry } = accountMessages(topic);
    const outbox = new OutboxWriter({ registry });
    messaging = testMessaging(env.kafka.brokers, 'outbox-e2e', registry, logger);
    const accounts = Array.from({ length: 8 }, (_, i) => `acc-${i}`);
    const depositRound = async (round: number) => {
      for (const account of accounts) await deposit(sql, outbox, Deposited, account, 100 + round);
    };
    for (let round = 0; round < 5; round++) await depositRound(round); // 40 events

    // 1. A relay process dies right after Kafka acknowledged its first batch.
    const crashed = await runRelayProcess(env, { BATCH_SIZE: '10', CRASH_AFTER_BATCHES: '1' });
    expect(crashed.signal).toBe('SIGKILL');
    const publishedByCrashedRelay = crashed.publishedIds;
    expect(publishedByCrashedRelay).toHaveLength(10);
    expect(await unpublishedCount(sql)).toBe(40); // its transaction died with it

    // 2. All brokers down while a relay runs and deposits keep coming.
    await faults.brokerDown('all');
    const relay = new OutboxRelay({
      sql,
      producer: messaging.producer,
      batchSize: 25,
      pollIntervalMs: 50,
      backoff: { initialDelayMs: 200, maxDelayMs: 1000 },
      logger,
    });
    await relay.start();
    for (let round = 5; round < 10; round++) await depositRound(round); // 40 more
    await waitFor(async () => (await maxAttempts(sql)) >= 2, { describe: () => 'relay did not retry' });
    expect(await unpublishedCount(sql)).toBe(80); // nothing marked published while Kafka is down
    expect(logger.lines.some((l) => l.includes('Outbox relay round failed'))).toBe(true);

    // 3. Brokers back: the same relay drains the outbox.
    await faults.brokerUp('all');
    await waitFor(async () => (await relay.backlog()).count === 0, {
      timeoutMs: 45_000,
      describe: () => 'outbox not drained after the outage',
    });
    await relay.stop();
    const [stats] = await sql.query<{ published: number; retried: number }>(
      `SELECT count(*) FILTER (WHERE published_at IS NOT NULL)::int AS published,
              count(*) FILTER (WHERE attempts > 1)::int AS retried
       FROM outbox`,
    );
    expect(stats).toEqual({ published: 80, retried: expect.any(Number) });
    expect(stats!.retried).toBeGreaterThan(0);

    // 4. A consumer with the inbox sees duplicates and applies each event once.
    const groupId = env.kafka.groupId('ledger');
    const deliveries = new Map<string, number>();
    consumer = messaging.consumer({
      groupId,
      ...FAST_CONSUMER,
      handlers: [
        handle(Deposited, async (event) => {
          await handleOnce(sql, groupId, event, (tx) => recordEffect(tx, groupId, event));
          deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1); // counted once committed
        }),
      ],
    });
    await consumer.start();
    const totalDeliveries = () => [...deliveries.values()].reduce((a, b) => a + b, 0);
    await waitFor(async () => deliveries.size === 80 && totalDeliveries() >= 90, {
      describe: () => `${deliveries.size} distinct, ${totalDeliveries()} deliveries`,
    });

    for (const id of publishedByCrashedRelay) expect(deliveries.get(id)).toBeGreaterThanOrEqual(2);
    const effects = await effectCounts(sql, groupId);
    expect(effects).toHaveLength(80);
    expect(effects.filter((e) => e.times !== 1)).toEqual([]);
    // The effects add up to the producer's state.
    const [balances] = await sql.query<{ applied: number; state: number }>(
      `SELECT (SELECT sum(cents) FROM applied_effects WHERE consumer_group = $1)::int AS applied,
              (SELECT sum(balance) FROM accounts)::int AS state`,
      [groupId],
    );
    expect(balances!.applied).toBe(balances!.state);
  });
});

async function unpublishedCount(sql: SqlClient): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
  );
  return row!.n;
}

async function maxAttempts(sql: SqlClient): Promise<number> {
  const [row] = await sql.query<{ n: number }>('SELECT coalesce(max(attempts), 0)::int AS n FROM outbox');
  return row!.n;
}

/** Runs the relay fixture in a child process until it exits; returns how and what it published. */
function runRelayProcess(
  env: TestEnvironment,
  settings: Record<string, string>,
): Promise<{ signal: NodeJS.Signals | null; publishedIds: string[] }> {
  const child = spawn(
    process.execPath,
    ['--require', join(ROOT, 'tools/register.cjs'), join(__dirname, '../__fixtures__/relay-process.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.postgres.url,
        KAFKA_BROKERS: env.kafka.brokers.join(','),
        ...settings,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (_code, signal) =>
      resolve({
        signal,
        publishedIds: output
          .split('\n')
          .filter((l) => l.startsWith('published '))
          .flatMap((l) => l.slice('published '.length).split(',')),
      }),
    );
  });
}
