import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { ApiKey, KafkaErrorCode } from './control';
import { startKafkaDevBroker, type KafkaDevBroker } from './broker';

/** The launcher's control channel, driven the way the chaos suite will drive it. */
describe('kafka dev broker control', () => {
  let broker: KafkaDevBroker;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startKafkaDevBroker({
      brokers: 3,
      topics: [{ name: 'declared.at.start', partitions: 3 }],
    });
    kafka = new Kafka({
      clientId: 'control-test',
      brokers: broker.bootstrapServers,
      logLevel: logLevel.NOTHING,
    });
  });
  afterAll(() => broker.stop());

  it('publishes three brokers and the topics declared at start', async () => {
    expect(broker.bootstrapServers).toHaveLength(3);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ['declared.at.start'] });
      expect(topics[0]!.partitions).toHaveLength(3);
      expect((await admin.describeCluster()).brokers).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('creates topics with the requested partition count at run time', async () => {
    await broker.control.createTopic('created.later', 5);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ['created.later'] });
      expect(topics[0]!.partitions).toHaveLength(5);
    } finally {
      await admin.disconnect();
    }
  });

  it('fails the next requests with an injected protocol error, then recovers', async () => {
    await broker.control.createTopic('injected.errors', 1);
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      await producer.send({ topic: 'injected.errors', messages: [{ value: 'warm-up' }] });
      await broker.control.pushRequestErrors(ApiKey.Produce, KafkaErrorCode.NotEnoughReplicas, 1);
      await expect(
        producer.send({ topic: 'injected.errors', messages: [{ value: 'rejected' }] }),
      ).rejects.toThrow(/replicas/i);
      await expect(
        producer.send({ topic: 'injected.errors', messages: [{ value: 'accepted' }] }),
      ).resolves.toBeDefined();
    } finally {
      await producer.disconnect();
    }
  });

  it('answers bad commands with an error instead of dying', async () => {
    await expect(broker.control.send('create-topic')).rejects.toThrow(/usage/);
    await expect(broker.control.brokerDown(9)).rejects.toThrow(/usage/);
    await expect(broker.control.send('no-such-command')).rejects.toThrow(/unknown command/);
    await expect(broker.control.send('ping')).resolves.toBe('pong');
  });

  it('accepts latency and single-broker faults', async () => {
    await expect(broker.control.setRtt('all', 50)).resolves.toBe('');
    await expect(broker.control.setRtt('all', 0)).resolves.toBe('');
    await expect(broker.control.brokerDown(2)).resolves.toBe('');
    await expect(broker.control.brokerUp(2)).resolves.toBe('');
  });
});
