import { type Consumer, type EachMessagePayload, Partitioners } from 'kafkajs';
import { createTestEnvironment, waitFor, type TestEnvironment } from './index';

/**
 * A consumer group on the dev broker: a second member joins mid-stream and
 * later leaves. Every message is consumed and per-key order holds.
 */
describe('consumer group rebalance on the dev broker', () => {
  let env: TestEnvironment;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('rebalance', { kafka: true });
  });
  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await env.dispose();
  });

  it('consumes every message in key order while a member joins and leaves', async () => {
    const topic = await env.kafka.topic('orders', 6);
    const groupId = env.kafka.groupId('order-readers');
    const kafka = env.kafka.client();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();

    const keys = Array.from({ length: 24 }, (_, i) => `order-${i}`);
    const perPhase = 10; // messages per key per phase
    const deliveries: { member: string; key: string; seq: number; partition: number }[] = [];
    const assignments = new Map<string, number>(); // member -> partitions assigned after last join

    const startMember = async (member: string): Promise<Consumer> => {
      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: 6000,
        heartbeatInterval: 500,
        rebalanceTimeout: 10_000,
        maxWaitTimeInMs: 200,
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const assigned = Object.values(payload.memberAssignment).reduce((n, parts) => n + parts.length, 0);
        assignments.set(member, assigned);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message, partition }: EachMessagePayload) => {
          const [key, seq] = message.value!.toString().split(':');
          deliveries.push({ member, key: key!, seq: Number(seq), partition });
        },
      });
      consumers.push(consumer);
      return consumer;
    };
    const produce = async (phase: number): Promise<void> => {
      for (let i = 0; i < perPhase; i++) {
        const seq = phase * perPhase + i;
        await producer.send({ topic, messages: keys.map((key) => ({ key, value: `${key}:${seq}` })) });
      }
    };
    const consumedAtLeast = (count: number) => () =>
      new Set(deliveries.map((d) => `${d.key}:${d.seq}`)).size >= count;

    await startMember('a');
    await waitFor(() => assignments.get('a') === 6, {
      describe: () => `a has ${assignments.get('a')} partitions`,
    });
    await produce(0);
    await waitFor(consumedAtLeast(keys.length * perPhase));

    const b = await startMember('b');
    await waitFor(
      () => (assignments.get('b') ?? 0) > 0 && assignments.get('a')! + assignments.get('b')! === 6,
      {
        describe: () => `assignments ${JSON.stringify([...assignments])}`,
      },
    );
    await produce(1);
    await waitFor(consumedAtLeast(keys.length * perPhase * 2));
    expect(deliveries.some((d) => d.member === 'b')).toBe(true);

    await b.disconnect();
    await waitFor(() => assignments.get('a') === 6, {
      describe: () => `a has ${assignments.get('a')} partitions after b left`,
    });
    const deliveriesBeforeLastPhase = deliveries.length;
    await produce(2);
    await waitFor(consumedAtLeast(keys.length * perPhase * 3), {
      describe: () => `consumed ${deliveries.length}`,
    });
    await producer.disconnect();

    const lastPhase = deliveries.slice(deliveriesBeforeLastPhase);
    expect(new Set(lastPhase.map((d) => d.member))).toEqual(new Set(['a']));
    expect(new Set(lastPhase.map((d) => d.partition)).size).toBeGreaterThan(1);

    // Redeliveries after a rebalance are allowed (at-least-once), reordering is
    // not: the first delivery of each message per key comes in send order.
    for (const key of keys) {
      const firstSeen: number[] = [];
      for (const d of deliveries) if (d.key === key && !firstSeen.includes(d.seq)) firstSeen.push(d.seq);
      expect(firstSeen).toEqual(Array.from({ length: perPhase * 3 }, (_, i) => i));
    }
  });
});
