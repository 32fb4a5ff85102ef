import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { OutgoingRecord, RecordProducer } from '../ports';
import { kafkaMessage } from './kafka-records';

/**
 * RecordProducer on a kafkajs producer: one sendBatch per call, acks from all
 * in-sync replicas, murmur2 partitioning (the Java client's, so keys land on
 * the same partitions whichever client produced them). Not idempotent (it
 * does not work on the dev broker): a failed send may have written some
 * records, and the caller resends; consumers deduplicate.
 */
export class KafkaRecordProducer implements RecordProducer {
  private connection: Promise<Producer> | undefined;

  constructor(private readonly kafka: Kafka) {}

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.connected();
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      let messages = byTopic.get(record.topic);
      if (!messages) byTopic.set(record.topic, (messages = []));
      messages.push(kafkaMessage(record));
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await (await connection.catch(() => undefined))?.disconnect();
  }

  private connected(): Promise<Producer> {
    if (!this.connection) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      this.connection = producer.connect().then(
        () => producer,
        (error: unknown) => {
          this.connection = undefined; // the next send tries again
          throw error;
        },
      );
    }
    return this.connection;
  }
}
