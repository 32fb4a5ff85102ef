import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { kafkaBrokers } from '@shop/config';
import { KafkaDevControl, startKafkaDevBroker, type KafkaDevBroker } from '@shop/kafka-dev';
import { uniqueName } from './unique-name';

/** Set by the integration global setup when the shared broker is a dev broker. */
export const KAFKA_DEV_CONTROL_ENV = 'KAFKA_DEV_CONTROL';

export interface TestKafka {
  readonly brokers: string[];
  /** Creates a topic unique to this suite and returns its name. */
  topic(label: string, partitions?: number): Promise<string>;
  /** A consumer group id unique to this suite. */
  groupId(label: string): string;
  /** A kafkajs client on this suite's brokers (quiet logs, fast retries unless overridden). */
  client(clientId?: string, overrides?: Partial<KafkaConfig>): Kafka;
  /**
   * Fault controls (broker down/up, latency, request errors). Only on a
   * dedicated dev broker, so one suite's faults never hit another suite.
   */
  readonly faults: KafkaDevControl | undefined;
  dispose(): Promise<void>;
}

export interface TestKafkaOptions {
  /** Start a private dev broker for this suite (needed for fault injection). */
  dedicatedBroker?: boolean;
  /** Brokers in a dedicated cluster (default 3). */
  brokerCount?: number;
}

export async function createTestKafka(label: string, options: TestKafkaOptions = {}): Promise<TestKafka> {
  let dedicated: KafkaDevBroker | undefined;
  let brokers: string[];
  let control: KafkaDevControl | undefined;
  if (options.dedicatedBroker) {
    dedicated = await startKafkaDevBroker({ brokers: options.brokerCount ?? 3, topics: [] });
    brokers = dedicated.bootstrapServers;
    control = dedicated.control;
  } else {
    const shared = kafkaBrokers();
    if (!shared)
      throw new Error(
        'KAFKA_BROKERS is not set: run integration tests through jest (its global setup starts the broker)',
      );
    brokers = shared;
    const controlAddress = process.env[KAFKA_DEV_CONTROL_ENV];
    control = controlAddress ? await KafkaDevControl.connect(controlAddress) : undefined;
  }

  const client = (clientId = label, overrides: Partial<KafkaConfig> = {}): Kafka =>
    new Kafka({
      clientId,
      brokers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 100, retries: 8 },
      ...overrides,
    });

  return {
    brokers,
    async topic(topicLabel, partitions = 6) {
      const name = uniqueName(label, topicLabel).replace(/_/g, '.');
      if (control) {
        await control.createTopic(name, partitions);
      } else {
        const admin = client('test-admin').admin();
        await admin.connect();
        try {
          await admin.createTopics({
            topics: [{ topic: name, numPartitions: partitions }],
            waitForLeaders: true,
          });
        } finally {
          await admin.disconnect();
        }
      }
      return name;
    },
    groupId: (groupLabel) => uniqueName(label, groupLabel),
    client,
    faults: dedicated ? control : undefined,
    async dispose() {
      if (dedicated) await dedicated.stop();
      else control?.close();
    },
  };
}
