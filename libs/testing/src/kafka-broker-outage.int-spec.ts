import { Partitioners } from 'kafkajs';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from './index';

/**
 * Every broker of a dedicated dev cluster goes down for several seconds while
 * a producer keeps sending. Every acknowledged message is consumed afterwards.
 */
describe('all brokers down and back up', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment('outage', { kafka: { dedicatedBroker: true } });
  });
  afterAll(() => env.dispose());

  it('loses no acknowledged message', async () => {
    const faults = env.kafka.faults!;
    const topic = await env.kafka.topic('payments', 6);
    // A retry budget (about 20 s) longer than the outage, so sends ride it out.
    const kafka = env.kafka.client('outage', {
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 25 },
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();

    const outage = { downAt: 0, upAt: 0 };
    const acknowledged: { value: string; sentAt: number; ackedAt: number }[] = [];
    const failed: string[] = []; // sends the producer gave up on (reported, never silently lost)
    const sendLoop = async (worker: number): Promise<void> => {
      for (let i = 0; Date.now() < started + 12_000; i++) {
        const value = `w${worker}-${i}`;
        const sentAt = Date.now();
        try {
          await producer.send({ topic, acks: -1, messages: [{ key: `k${i % 12}`, value }] });
          acknowledged.push({ value, sentAt, ackedAt: Date.now() });
        } catch (err) {
          failed.push(`${value}: ${(err as Error).message}`);
        }
        await sleep(20);
      }
    };

    const started = Date.now();
    const senders = [0, 1, 2, 3].map(sendLoop);
    await sleep(3000);
    outage.downAt = Date.now();
    await faults.brokerDown('all');
    await sleep(5000);
    await faults.brokerUp('all');
    outage.upAt = Date.now();
    await Promise.all(senders);
    await producer.disconnect();

    // The outage was real: nothing was acknowledged while every broker was down,
    // and sends pending during it were acknowledged after recovery.
    const ackedDuringOutage = acknowledged.filter(
      (a) => a.ackedAt > outage.downAt + 500 && a.ackedAt < outage.upAt,
    );
    const pendingThroughOutage = acknowledged.filter(
      (a) => a.sentAt < outage.upAt && a.ackedAt >= outage.upAt,
    );
    expect(ackedDuringOutage).toEqual([]);
    expect(failed).toEqual([]);
    expect(pendingThroughOutage.length).toBeGreaterThan(0);
    expect(acknowledged.filter((a) => a.sentAt > outage.upAt).length).toBeGreaterThan(0);

    const consumed = new Set<string>();
    const consumer = kafka.consumer({
      groupId: env.kafka.groupId('auditor'),
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void consumed.add(message.value!.toString()) });
    try {
      await waitFor(() => acknowledged.every((a) => consumed.has(a.value)), {
        timeoutMs: 30_000,
        describe: () =>
          `${acknowledged.filter((a) => !consumed.has(a.value)).length} of ${acknowledged.length} missing`,
      });
    } finally {
      await consumer.disconnect();
    }
    console.log(
      `outage test: ${acknowledged.length} acknowledged, ${pendingThroughOutage.length} pending through the outage`,
    );
  });
});
