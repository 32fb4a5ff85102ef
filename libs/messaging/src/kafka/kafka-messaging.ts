import { deadLetterTopic, type MessageRegistry } from '@shop/contracts';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import { handlerTable, topicsOf, type HandlerRegistration } from '../consumer/handlers';
import { RecordProcessor, type UnhandledPolicy } from '../consumer/record-processor';
import { defaultLogger, type MessagingLogger } from '../logger';
import { messagingMetrics, type MessagingMetrics } from '../metrics';
import type { MessageConsumer, MessagePublisher, RecordProducer } from '../ports';
import { EnvelopePublisher } from '../publisher/envelope-publisher';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry/retry-policy';
import { KafkaMessageConsumer, type KafkaConsumerSettings } from './kafka-consumer';
import { KafkaRecordProducer } from './kafka-producer';

export interface KafkaMessagingOptions {
  clientId: string;
  brokers: readonly string[];
  /** The service's messages (and upcasters); consumers add their handlers' definitions. */
  registry: MessageRegistry;
  /** kafkajs client overrides (ssl, sasl, retry, logLevel ...). */
  client?: Partial<KafkaConfig>;
  logger?: MessagingLogger;
}

export interface ConsumerGroupOptions extends Partial<Omit<KafkaConsumerSettings, 'groupId' | 'topics'>> {
  groupId: string;
  handlers: readonly HandlerRegistration[];
  /** Default: the topics of the handlers' messages. */
  topics?: readonly string[];
  /** Default: `<groupId>.dlq` (deadLetterTopic in @shop/contracts). */
  deadLetterTopic?: string;
  retry?: Partial<RetryPolicy>;
  /** Types this group has no handler for: 'ignore' (default, shared topics) or 'dead-letter'. */
  onUnhandled?: UnhandledPolicy;
}

export const DEFAULT_CONSUMER_SETTINGS: Omit<KafkaConsumerSettings, 'groupId' | 'topics'> = {
  fromBeginning: true,
  partitionsConsumedConcurrently: 1,
  // A dead member's partitions wait this long for a new owner (a crashed instance, or the dev
  // broker's rebalance, which waits up to the session timeout for members to rejoin): keep it short.
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 60_000,
  maxWaitTimeInMs: 500,
};

/**
 * The messaging adapter on kafkajs: one producer (shared by the publisher,
 * the outbox relay and dead-lettering) and any number of consumer groups.
 * Everything outside src/kafka/ sees only the ports (RecordProducer,
 * MessagePublisher, MessageConsumer).
 */
export class KafkaMessaging {
  readonly registry: MessageRegistry;
  readonly producer: RecordProducer;
  readonly publisher: MessagePublisher;
  private readonly kafka: Kafka;
  private readonly recordProducer: KafkaRecordProducer;
  private readonly consumers = new Set<MessageConsumer>();
  private readonly logger: MessagingLogger;
  private readonly metrics: MessagingMetrics;

  constructor(options: KafkaMessagingOptions) {
    this.registry = options.registry;
    this.logger = options.logger ?? defaultLogger('Messaging');
    this.metrics = messagingMetrics();
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      // A send gives up after ~3 s of retries; the outbox relay then backs off and tries again.
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.kafkaLog(entry),
      ...options.client,
    });
    this.recordProducer = new KafkaRecordProducer(this.kafka);
    this.producer = this.recordProducer;
    this.publisher = new EnvelopePublisher(this.registry, this.producer);
  }

  /** A consumer group member; call start() on it (the Nest module does). */
  consumer(options: ConsumerGroupOptions): MessageConsumer {
    const { groupId, handlers } = options;
    this.registry.register(...handlers.map((h) => h.message));
    const processor = new RecordProcessor({
      groupId,
      registry: this.registry,
      handlers: handlerTable(handlers),
      deadLetterTopic: options.deadLetterTopic ?? deadLetterTopic(groupId).name,
      producer: this.producer,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      onUnhandled: options.onUnhandled ?? 'ignore',
      metrics: this.metrics,
      logger: this.logger,
    });
    const defaults = DEFAULT_CONSUMER_SETTINGS;
    const settings: KafkaConsumerSettings = {
      groupId,
      topics: options.topics ?? topicsOf(handlers),
      fromBeginning: options.fromBeginning ?? defaults.fromBeginning,
      partitionsConsumedConcurrently:
        options.partitionsConsumedConcurrently ?? defaults.partitionsConsumedConcurrently,
      sessionTimeoutMs: options.sessionTimeoutMs ?? defaults.sessionTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? defaults.heartbeatIntervalMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? defaults.rebalanceTimeoutMs,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? defaults.maxWaitTimeInMs,
    };
    const consumer = new KafkaMessageConsumer(this.kafka, settings, processor, this.metrics, this.logger);
    this.consumers.add(consumer);
    return consumer;
  }

  /** Stops every consumer (gracefully) and disconnects the producer. */
  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    await this.recordProducer.disconnect();
  }

  private kafkaLog({ level, namespace, log }: LogEntry): void {
    const { message, ...fields } = log;
    const line = `kafkajs ${namespace}: ${message}`;
    // kafkajs logs every "rebalance in progress" answer as an error; it is how a group learns of a new member.
    if (isRebalanceNotice(fields)) this.logger.info(line, fields);
    else if (level === logLevel.ERROR) this.logger.error(line, fields);
    else if (level === logLevel.WARN) this.logger.warn(line, fields);
    else this.logger.info(line, fields);
  }
}

function isRebalanceNotice(fields: Record<string, unknown>): boolean {
  return typeof fields.error === 'string' && fields.error.includes('The group is rebalancing');
}
