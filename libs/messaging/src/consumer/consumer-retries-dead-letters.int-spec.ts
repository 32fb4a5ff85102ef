import type { Consumer } from 'kafkajs';
import { z } from 'zod';
import {
  createEnvelope,
  defineMessage,
  defineUpcaster,
  MessageRegistry,
  type MessageEnvelope,
} from '@shop/contracts';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@shop/testing';
import { FAST_CONSUMER, quietLogger, testMessaging } from '../__fixtures__/accounts';
import type { KafkaMessaging } from '../kafka/kafka-messaging';
import type { MessageConsumer } from '../ports';
import { DeadLetterHeader } from '../wire/headers';
import { envelopeRecord } from '../wire/records';
import { handle, type MessageContext } from './handlers';

interface DeadLetterSeen {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * One consumer group on the dev broker with handlers that fail in different
 * ways, and a reader on its dead-letter topic.
 */
describe('consumer retries, dead letters and upcasting', () => {
  let env: TestEnvironment;
  let messaging: KafkaMessaging;
  let consumer: MessageConsumer;
  let dlqReader: Consumer;
  const deadLetters: DeadLetterSeen[] = [];
  const attempts = new Map<string, number[]>(); // message id -> attempt numbers seen
  const handled = new Map<string, { message: MessageEnvelope; context: MessageContext }>();
  const logger = quietLogger();
  let topic: string;
  let deadLetterTopic: string;

  const Messages = (t: string) => {
    const schema = z.object({ n: z.number().int() });
    const CustomerRenamedV1 = defineMessage({
      type: 'CustomerRenamed',
      version: 1,
      topic: t,
      schema: z.object({ fullName: z.string() }),
    });
    const CustomerRenamedV2 = defineMessage({
      type: 'CustomerRenamed',
      version: 2,
      topic: t,
      schema: z.object({ first: z.string(), last: z.string() }),
    });
    return {
      Flaky: defineMessage({ type: 'Flaky', version: 1, topic: t, schema }),
      Doomed: defineMessage({ type: 'Doomed', version: 1, topic: t, schema }),
      Wobbly: defineMessage({ type: 'Wobbly', version: 1, topic: t, schema }),
      CustomerRenamedV1,
      CustomerRenamedV2,
      renamedUpcaster: defineUpcaster(CustomerRenamedV1, CustomerRenamedV2, ({ fullName }) => {
        const [first = '', ...rest] = fullName.split(' ');
        return { first, last: rest.join(' ') };
      }),
    };
  };
  let M: ReturnType<typeof Messages>;

  const track = (message: MessageEnvelope, context: MessageContext) => {
    attempts.set(message.id, [...(attempts.get(message.id) ?? []), context.attempt]);
  };
  const source = { source: 'test', aggregateVersion: 1 };

  beforeAll(async () => {
    env = await createTestEnvironment('consumer-dlq', { kafka: true });
    topic = await env.kafka.topic('ledger', 3);
    deadLetterTopic = await env.kafka.topic('ledger-dlq', 1);
    M = Messages(topic);
    const registry = new MessageRegistry([M.CustomerRenamedV1, M.CustomerRenamedV2], [M.renamedUpcaster]);
    messaging = testMessaging(env.kafka.brokers, 'consumer-dlq', registry, logger);
    const groupId = env.kafka.groupId('ledger');
    consumer = messaging.consumer({
      groupId,
      deadLetterTopic,
      ...FAST_CONSUMER,
      partitionsConsumedConcurrently: 3,
      retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
      handlers: [
        handle(M.Flaky, async (message, context) => {
          track(message, context);
          if (context.attempt < 3) throw new Error(`flaky attempt ${context.attempt}`);
          handled.set(message.id, { message, context });
        }),
        handle(M.Doomed, async (message, context) => {
          track(message, context);
          throw new Error('ledger closed');
        }),
        handle(M.Wobbly, async (message, context) => {
          track(message, context);
          if (context.attempt <= 4) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          handled.set(message.id, { message, context });
        }),
        handle(M.CustomerRenamedV2, async (message, context) => {
          handled.set(message.id, { message, context });
        }),
      ],
    });
    await consumer.start();

    dlqReader = env.kafka.client('dlq-reader').consumer({
      groupId: env.kafka.groupId('dlq-reader'),
      ...{ sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
    });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: deadLetterTopic, fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        deadLetters.push({ key: message.key!.toString(), value: message.value!.toString(), headers });
      },
    });
  });
  afterAll(async () => {
    await dlqReader?.disconnect();
    await messaging?.close();
    await env?.dispose();
  });

  const deadLetterOf = (id: string) => deadLetters.find((d) => d.headers['message-id'] === id);

  it('retries a failing handler with backoff until it succeeds, without dead-lettering', async () => {
    const message = M.Flaky.create({ ...source, aggregateId: 'f-1', payload: { n: 1 } });
    await messaging.publisher.publish(message);
    await waitFor(() => handled.has(message.id));
    expect(attempts.get(message.id)).toEqual([1, 2, 3]);
    expect(deadLetterOf(message.id)).toBeUndefined();
  });

  it('dead-letters a handler that keeps failing, with the reason and origin in headers', async () => {
    const message = M.Doomed.create({ ...source, aggregateId: 'd-1', payload: { n: 2 } });
    await messaging.publisher.publish(message);
    await waitFor(() => deadLetterOf(message.id) !== undefined);
    const letter = deadLetterOf(message.id)!;
    expect(attempts.get(message.id)).toEqual([1, 2, 3]);
    expect(letter.key).toBe('d-1');
    expect(JSON.parse(letter.value)).toEqual(message);
    expect(letter.headers).toMatchObject({
      [DeadLetterHeader.reason]: 'handler-failed',
      [DeadLetterHeader.error]: 'ledger closed',
      [DeadLetterHeader.originalTopic]: topic,
      [DeadLetterHeader.originalPartition]: expect.stringMatching(/^[0-2]$/),
      [DeadLetterHeader.originalOffset]: expect.stringMatching(/^\d+$/),
      [DeadLetterHeader.attempts]: '3',
      [DeadLetterHeader.consumerGroup]: consumer.groupId,
      'message-type': 'Doomed',
    });
  });

  it('retries transient infrastructure errors past maxAttempts instead of dead-lettering', async () => {
    const message = M.Wobbly.create({ ...source, aggregateId: 'w-1', payload: { n: 3 } });
    await messaging.publisher.publish(message);
    await waitFor(() => handled.has(message.id));
    expect(attempts.get(message.id)).toEqual([1, 2, 3, 4, 5]);
    expect(deadLetterOf(message.id)).toBeUndefined();
  });

  it('dead-letters invalid messages at once and goes on with the next message of the partition', async () => {
    const key = 'same-partition';
    const invalidPayload = createEnvelope({
      ...source,
      type: 'Flaky',
      version: 1,
      aggregateId: key,
      payload: { n: 'x' },
    });
    const after = M.CustomerRenamedV2.create({
      ...source,
      aggregateId: key,
      payload: { first: 'Ada', last: 'L' },
    });
    await messaging.producer.send([
      { topic, key, value: '{not json', headers: { 'message-id': 'garbage-1' } },
      envelopeRecord(topic, invalidPayload, { 'message-id': invalidPayload.id }),
    ]);
    await messaging.publisher.publish(after);

    await waitFor(() => handled.has(after.id));
    await waitFor(() => deadLetters.filter((d) => d.key === key).length === 2);
    expect(deadLetterOf('garbage-1')!.headers).toMatchObject({
      [DeadLetterHeader.reason]: 'unparsable',
      [DeadLetterHeader.attempts]: '0',
    });
    expect(deadLetterOf('garbage-1')!.value).toBe('{not json');
    expect(deadLetterOf(invalidPayload.id)!.headers).toMatchObject({
      [DeadLetterHeader.reason]: 'invalid-payload',
      [DeadLetterHeader.error]: expect.stringContaining('n:'),
    });
    expect(attempts.has(invalidPayload.id)).toBe(false); // the handler never saw it
  });

  it('upcasts an old version for the handler, and dead-letters a version nothing can read', async () => {
    const old = M.CustomerRenamedV1.create({
      ...source,
      aggregateId: 'c-1',
      payload: { fullName: 'Grace Brewster Hopper' },
    });
    const future = createEnvelope({
      ...source,
      type: 'CustomerRenamed',
      version: 3,
      aggregateId: 'c-2',
      payload: {},
    });
    await messaging.publisher.publish(old);
    await messaging.producer.send([envelopeRecord(topic, future, { 'message-id': future.id })]);

    await waitFor(() => handled.has(old.id));
    expect(handled.get(old.id)!.message).toEqual({
      ...old,
      version: 2,
      payload: { first: 'Grace', last: 'Brewster Hopper' },
    });
    expect(handled.get(old.id)!.context.upcastFrom).toBe(1);

    await waitFor(() => deadLetterOf(future.id) !== undefined);
    expect(deadLetterOf(future.id)!.headers).toMatchObject({
      [DeadLetterHeader.reason]: 'unsupported-version',
      [DeadLetterHeader.error]: expect.stringContaining('CustomerRenamed v3'),
    });
    expect(handled.has(future.id)).toBe(false);
  });
});
