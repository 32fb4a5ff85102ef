import { z } from 'zod';
import { defineMessage, MessageRegistry } from '@shop/contracts';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import { FAST_CONSUMER, testMessaging } from '../__fixtures__/accounts';
import type { KafkaMessaging } from '../kafka/kafka-messaging';
import { handle, type MessageHandler } from './handlers';

/**
 * stop() while a handler is busy: the handler finishes, its offset is
 * committed (the next member of the group does not get it again), and the
 * messages behind it are left to the next member, not dropped.
 */
describe('graceful consumer shutdown', () => {
  let env: TestEnvironment;
  let messaging: KafkaMessaging;

  beforeAll(async () => {
    env = await createTestEnvironment('consumer-shutdown', { kafka: true });
  });
  afterAll(async () => {
    await messaging?.close();
    await env?.dispose();
  });

  const setUp = async (label: string) => {
    const topic = await env.kafka.topic(label, 1);
    const Job = defineMessage({ type: 'Job', version: 1, topic, schema: z.object({ name: z.string() }) });
    await messaging?.close();
    messaging = testMessaging(env.kafka.brokers, 'shutdown', new MessageRegistry());
    const groupId = env.kafka.groupId(label);
    const member = async (handler: MessageHandler<ReturnType<typeof Job.create>>, retry = {}) => {
      const consumer = messaging.consumer({
        groupId,
        ...FAST_CONSUMER,
        retry,
        handlers: [handle(Job, handler)],
      });
      await consumer.start();
      return consumer;
    };
    const job = (name: string) =>
      Job.create({ source: 'test', aggregateId: 'jobs', aggregateVersion: 0, payload: { name } });
    return { member, job };
  };

  it('finishes the in-flight message, commits it, and leaves the rest to the next member', async () => {
    const { member, job } = await setUp('slow');
    const events: string[] = [];
    const first = await member(async (message) => {
      events.push(`first started ${message.payload.name}`);
      await sleep(1500);
      events.push(`first finished ${message.payload.name}`);
    });
    await messaging.publisher.publish([job('slow'), job('queued')]);
    await waitFor(() => events.includes('first started slow'));

    await first.stop();
    expect(events).toEqual(['first started slow', 'first finished slow']); // finished before stop returned

    const second = await member(async (message) => void events.push(`second got ${message.payload.name}`));
    await messaging.publisher.publish(job('marker'));
    await waitFor(() => events.includes('second got marker'));
    await second.stop();
    expect(events).toEqual([
      'first started slow',
      'first finished slow',
      'second got queued',
      'second got marker',
    ]);
  });

  it('does not commit a message whose retries were cut short by stop', async () => {
    const { member, job } = await setUp('retrying');
    const events: string[] = [];
    const first = await member(
      async (message) => {
        events.push(`first failed ${message.payload.name}`);
        throw new Error('not yet');
      },
      { maxAttempts: 10, initialDelayMs: 60_000 }, // would wait a minute before its next attempt
    );
    await messaging.publisher.publish(job('stubborn'));
    await waitFor(() => events.includes('first failed stubborn'));
    await first.stop(); // ends the backoff wait; the message is neither handled nor dead-lettered

    const second = await member(async (message) => void events.push(`second got ${message.payload.name}`));
    await waitFor(() => events.includes('second got stubborn'));
    await second.stop();
    expect(events).toEqual(['first failed stubborn', 'second got stubborn']);
  });
});
