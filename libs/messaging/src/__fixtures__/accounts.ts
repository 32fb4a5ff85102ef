import { join } from 'node:path';
import { logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { z } from 'zod';
import { defineMessage, MessageRegistry, type MessageOf } from '@shop/contracts';
import { migrateToSchema, pgSqlClient, type SqlClient, type SqlExecutor } from '@shop/persistence';
import { KafkaMessaging } from '../kafka/kafka-messaging';
import type { MessagingLogger } from '../logger';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { INBOX_SCHEMA, OUTBOX_SCHEMA } from '../schema-files';

/**
 * Test fixture: a tiny "accounts" service. A deposit changes the account
 * and writes a Deposited event to the outbox in one transaction; consumers
 * record what they applied in applied_effects.
 */
export const ACCOUNTS_SCHEMA = join(__dirname, 'accounts.prisma');

export const migrateAccounts = (url: string) =>
  migrateToSchema(url, [OUTBOX_SCHEMA, INBOX_SCHEMA, ACCOUNTS_SCHEMA]);

export function accountMessages(topic: string) {
  const Deposited = defineMessage({
    type: 'Deposited',
    version: 1,
    topic,
    schema: z.object({ cents: z.number().int().positive() }),
  });
  return { Deposited, registry: new MessageRegistry([Deposited]) };
}

export type DepositedEvent = MessageOf<ReturnType<typeof accountMessages>['Deposited']>;

/** The producer side: state change and event in ONE transaction. */
export async function deposit(
  sql: SqlClient,
  outbox: OutboxWriter,
  Deposited: ReturnType<typeof accountMessages>['Deposited'],
  accountId: string,
  cents: number,
): Promise<DepositedEvent> {
  return sql.transaction(async (tx) => {
    // The row lock of the upsert serializes deposits to one account, so each
    // account's outbox rows are written in version order.
    const [account] = await tx.query<{ version: number }>(
      `INSERT INTO accounts (id, balance, version) VALUES ($1, $2, 1)
       ON CONFLICT (id) DO UPDATE SET balance = accounts.balance + EXCLUDED.balance, version = accounts.version + 1
       RETURNING version`,
      [accountId, cents],
    );
    const event = Deposited.create({
      source: 'accounts',
      aggregateId: accountId,
      aggregateVersion: account!.version,
      payload: { cents },
    });
    await outbox.enqueue(tx, event);
    return event;
  });
}

/** The consumer side effect. */
export async function recordEffect(tx: SqlExecutor, groupId: string, event: DepositedEvent): Promise<void> {
  await tx.query(
    `INSERT INTO applied_effects (consumer_group, message_id, account_id, version, cents) VALUES ($1, $2, $3, $4, $5)`,
    [groupId, event.id, event.aggregateId, event.aggregateVersion, event.payload.cents],
  );
}

export interface EffectCount {
  message_id: string;
  times: number;
}

export async function effectCounts(sql: SqlExecutor, groupId: string): Promise<EffectCount[]> {
  return sql.query<EffectCount>(
    `SELECT message_id::text, count(*)::int AS times FROM applied_effects WHERE consumer_group = $1
     GROUP BY message_id ORDER BY message_id`,
    [groupId],
  );
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** For fixture processes, which get only the database URL (suites use `env.postgres.pool()`). */
export function openDatabase(url: string): { pool: Pool; sql: SqlClient } {
  const pool = new Pool({ connectionString: url, max: 4 });
  return { pool, sql: pgSqlClient(pool) };
}

/** Consumer settings for the dev broker: quick joins, short fetch waits. */
export const FAST_CONSUMER = {
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 500,
  rebalanceTimeoutMs: 10_000,
  maxWaitTimeInMs: 100,
};

/** KafkaMessaging on the test brokers, kafkajs' own log lines off. */
export function testMessaging(
  brokers: readonly string[],
  clientId: string,
  registry: MessageRegistry,
  logger: MessagingLogger = quietLogger(),
): KafkaMessaging {
  return new KafkaMessaging({ clientId, brokers, registry, client: { logLevel: logLevel.NOTHING }, logger });
}

/** Keeps test output readable; collects warnings and errors for assertions. */
export function quietLogger(): MessagingLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string, fields?: Record<string, unknown>) =>
    void lines.push(fields ? `${message} ${JSON.stringify(fields)}` : message);
  return { lines, info: () => undefined, warn: keep, error: keep };
}

export function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
