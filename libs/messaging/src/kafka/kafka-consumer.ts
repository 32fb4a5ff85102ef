import type { Consumer, Kafka } from 'kafkajs';
import { errorMessage, type MessagingLogger } from '../logger';
import type { MessagingMetrics } from '../metrics';
import type { MessageConsumer } from '../ports';
import type { RecordProcessor } from '../consumer/record-processor';
import { incomingRecord } from './kafka-records';

/** kafkajs consumer settings, sized so a handler attempt always fits in a session. */
export interface KafkaConsumerSettings {
  groupId: string;
  topics: readonly string[];
  /** Start a new group at the earliest offset (default true: nothing published before the first deploy is skipped). */
  fromBeginning: boolean;
  /** Partitions handled in parallel (order holds within each partition). */
  partitionsConsumedConcurrently: number;
  /** Must exceed the longest handler attempt; the consumer heartbeats between attempts. */
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  /** How long a fetch waits for data; small values cut latency on quiet topics. */
  maxWaitTimeInMs: number;
}

/**
 * A consumer group member on kafkajs, driving a RecordProcessor. Offsets are
 * committed by kafkajs only for messages whose eachMessage resolved (handled,
 * ignored or dead-lettered), after each batch and when stopping; a message
 * whose processing threw stays uncommitted and is delivered again.
 */
const RESTART_BASE_DELAY_MS = 500;
const RESTART_MAX_DELAY_MS = 30_000;

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export class KafkaMessageConsumer implements MessageConsumer {
  private consumer: Consumer | undefined;
  private stopping = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: KafkaConsumerSettings,
    private readonly processor: RecordProcessor,
    private readonly metrics: MessagingMetrics,
    private readonly logger: MessagingLogger,
  ) {}

  get groupId(): string {
    return this.settings.groupId;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    const { groupId } = this.settings;
    this.stopping = new AbortController();
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: this.settings.sessionTimeoutMs,
      heartbeatInterval: this.settings.heartbeatIntervalMs,
      rebalanceTimeout: this.settings.rebalanceTimeoutMs,
      maxWaitTimeInMs: this.settings.maxWaitTimeInMs,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const labels = { group: groupId, topic: payload.topic, partition: String(payload.partition) };
      this.metrics.consumerLag.set(labels, Number(payload.offsetLag));
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error('Kafka consumer crashed', {
        group: groupId,
        restart: payload.restart,
        error: errorMessage(payload.error),
      });
      // kafkajs restarts itself after retriable errors only; after any other
      // (e.g. a SyncGroup error while members join at once) the member would
      // stay dead for the life of the process. We start a new one.
      if (!payload.restart && this.consumer === consumer) void this.restartAfterCrash(consumer);
    });
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: [...this.settings.topics],
        fromBeginning: this.settings.fromBeginning,
      });
      // Resolves once the group is joined and partitions are assigned.
      await consumer.run({
        autoCommit: true,
        partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          await this.processor.process(incomingRecord(topic, partition, message), {
            heartbeat,
            stopping: this.stopping.signal,
          });
        },
      });
    } catch (error) {
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async restartAfterCrash(crashed: Consumer): Promise<void> {
    const { groupId } = this.settings;
    this.consumer = undefined;
    await crashed.disconnect().catch(() => undefined);
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      await abortableSleep(
        Math.min(RESTART_MAX_DELAY_MS, RESTART_BASE_DELAY_MS * 2 ** (attempt - 1)),
        this.stopping.signal,
      );
      if (this.stopping.signal.aborted || this.consumer) return;
      try {
        await this.start();
        this.logger.warn('Kafka consumer restarted after a crash', { group: groupId, attempt });
        return;
      } catch (error) {
        this.logger.error('Kafka consumer restart failed', {
          group: groupId,
          attempt,
          error: errorMessage(error),
        });
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort(); // no new retry attempt (nor restart after a crash) starts; running attempts finish
    const consumer = this.consumer;
    if (!consumer) return;
    this.consumer = undefined;
    await consumer.disconnect(); // waits for in-flight eachMessage, commits, leaves the group
  }
}
