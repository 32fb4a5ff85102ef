import { z } from 'zod';
import { defineMessage, MessageRegistry } from '@shop/contracts';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { FAST_CONSUMER, quietLogger, testMessaging } from '../__fixtures__/accounts';
import type { KafkaMessaging } from '../kafka/kafka-messaging';
import { handle } from './handlers';

// Kafka protocol numbers (the dev broker's control takes them as they are).
const API_SYNC_GROUP = 14;
const API_HEARTBEAT = 12;
const REBALANCE_IN_PROGRESS = 27;
const INVALID_REQUEST = 42; // not retriable: kafkajs crashes the member without restarting it

/**
 * A group member whose rejoin fails with an error kafkajs does not retry
 * (seen on the dev broker when members join at once) crashes with
 * restart=false. The consumer must start a new member, or its partitions
 * would go unread for the life of the process.
 */
describe('consumer crash with a non-retriable error', () => {
  let env: TestEnvironment;
  let messaging: KafkaMessaging;

  beforeAll(async () => {
    env = await createTestEnvironment('consumer-crash', { kafka: { dedicatedBroker: true } });
  });
  afterAll(async () => {
    await messaging?.close();
    await env?.dispose();
  });

  it('starts a new group member and goes on consuming', async () => {
    const topic = await env.kafka.topic('crash', 2);
    const Ping = defineMessage({ type: 'Ping', version: 1, topic, schema: z.object({ n: z.number() }) });
    const logger = quietLogger();
    messaging = testMessaging(env.kafka.brokers, 'crash', new MessageRegistry([Ping]), logger);
    const seen: number[] = [];
    const consumer = messaging.consumer({
      groupId: env.kafka.groupId('crash'),
      ...FAST_CONSUMER,
      handlers: [handle(Ping, async (message) => void seen.push(message.payload.n))],
    });
    await consumer.start();
    const ping = (n: number) =>
      Ping.create({ source: 'test', aggregateId: `p-${n}`, aggregateVersion: 1, payload: { n } });
    await messaging.publisher.publish(ping(1));
    await waitFor(() => seen.includes(1));

    // The next heartbeat says "rebalance", and the rejoin's SyncGroup fails for good.
    await env.kafka.faults!.pushRequestErrors(API_SYNC_GROUP, INVALID_REQUEST, 1);
    await env.kafka.faults!.pushRequestErrors(API_HEARTBEAT, REBALANCE_IN_PROGRESS, 1);
    await waitFor(() => logger.lines.some((line) => line.includes('Kafka consumer crashed')), {
      timeoutMs: 30_000,
      describe: () => `no crash: ${logger.lines.join(' | ')}`,
    });

    await messaging.publisher.publish(ping(2));
    await waitFor(() => seen.includes(2), {
      timeoutMs: 60_000,
      describe: () => `message after the crash not consumed: ${logger.lines.join(' | ')}`,
    });
    expect(logger.lines.some((line) => line.includes('restarted after a crash'))).toBe(true);
  });
});
