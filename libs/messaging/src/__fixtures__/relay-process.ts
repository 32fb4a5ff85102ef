/**
 * Test fixture: an outbox relay in its own process. With CRASH_AFTER_BATCHES
 * set, it SIGKILLs itself right after Kafka acknowledged that many batches and
 * before marking them published: a real crash mid-round (open transaction,
 * locks held), printing the ids of the batch that was published but not marked.
 *
 *   DATABASE_URL=... KAFKA_BROKERS=... BATCH_SIZE=10 CRASH_AFTER_BATCHES=1 \
 *     node --require ./tools/register.cjs libs/messaging/src/__fixtures__/relay-process.ts
 */
import { MessageRegistry } from '@shop/contracts';
import { OutboxRelay } from '../outbox/outbox-relay';
import { openDatabase, quietLogger, requiredEnv as env, testMessaging } from './accounts';

const { sql } = openDatabase(env('DATABASE_URL'));
const logger = quietLogger();
const messaging = testMessaging(
  env('KAFKA_BROKERS').split(','),
  'relay-process',
  new MessageRegistry(),
  logger,
);
const crashAfter = Number(process.env.CRASH_AFTER_BATCHES ?? Infinity);
let batches = 0;
const relay = new OutboxRelay({
  sql,
  producer: messaging.producer,
  batchSize: Number(process.env.BATCH_SIZE ?? 100),
  pollIntervalMs: 50,
  logger,
  hooks: {
    afterPublish(rows) {
      process.stdout.write(`published ${rows.map((r) => r.id).join(',')}\n`); // synchronous on a pipe
      if (++batches >= crashAfter) process.kill(process.pid, 'SIGKILL');
    },
  },
});
void relay.start();
