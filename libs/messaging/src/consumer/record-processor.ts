import {
  describeIssues,
  envelopeSchema,
  validationIssues,
  type MessageEnvelope,
  type MessageRegistry,
} from '@shop/contracts';
import { kafkaMessageAttributes, withConsumerSpan } from '@shop/telemetry';
import { errorMessage, type MessagingLogger } from '../logger';
import type { MessagingMetrics } from '../metrics';
import type { IncomingRecord, RecordProducer } from '../ports';
import { backoffDelay, sleep } from '../retry/backoff';
import type { RetryPolicy } from '../retry/retry-policy';
import { deadLetterRecord, type DeadLetter } from './dead-letter';
import type { HandlerRegistration, MessageContext } from './handlers';

export type RecordOutcome = 'handled' | 'ignored' | 'dead-lettered';

/** What a type with no handler in this group gets: skipped (shared topics) or dead-lettered. */
export type UnhandledPolicy = 'ignore' | 'dead-letter';

export interface RecordProcessorOptions {
  groupId: string;
  registry: MessageRegistry;
  handlers: ReadonlyMap<string, HandlerRegistration>;
  deadLetterTopic: string;
  /** Where dead letters are sent (the same producer the service publishes with). */
  producer: RecordProducer;
  retry: RetryPolicy;
  onUnhandled: UnhandledPolicy;
  metrics: MessagingMetrics;
  logger: MessagingLogger;
}

/** What the transport gives the processor for one delivery. */
export interface DeliveryControl {
  /** Keeps the group membership alive during retries; throws when the group rebalances. */
  heartbeat(): Promise<void>;
  /** Aborted when the consumer is stopping: no new attempt starts. */
  stopping: AbortSignal;
}

/**
 * Thrown when the consumer stops while a message is between attempts: the
 * message is neither handled nor dead-lettered, so its offset must not be
 * committed; the next member of the group gets it again.
 */
export class ConsumerStoppingError extends Error {
  constructor(record: IncomingRecord) {
    super(`Consumer stopping: ${record.topic}[${record.partition}]@${record.offset} left for redelivery`);
    this.name = 'ConsumerStoppingError';
  }
}

type Decoded =
  | { kind: 'handle'; registration: HandlerRegistration; envelope: MessageEnvelope; upcastFrom?: number }
  | { kind: 'ignore'; type: string }
  | { kind: 'reject'; type: string; deadLetter: DeadLetter };

/**
 * Everything a consumer does with one delivered record, independent of the
 * Kafka client: decode and validate (upcasting old versions), run the handler
 * with bounded retries and backoff, send what cannot be handled to the
 * group's dead-letter topic. It resolves only when the record is finished
 * with (then the offset may be committed); it never drops a record silently.
 */
export class RecordProcessor {
  constructor(private readonly options: RecordProcessorOptions) {}

  async process(record: IncomingRecord, control: DeliveryControl): Promise<RecordOutcome> {
    const decoded = this.decode(record);
    if (decoded.kind === 'ignore') {
      this.count(decoded.type, 'ignored');
      return 'ignored';
    }
    if (decoded.kind === 'reject') {
      await this.deadLetter(record, decoded.type, decoded.deadLetter, control);
      return 'dead-lettered';
    }
    return this.handleWithRetries(record, decoded, control);
  }

  private decode(record: IncomingRecord): Decoded {
    let raw: unknown;
    try {
      raw = JSON.parse(record.value?.toString('utf8') ?? '');
    } catch (error) {
      return reject('unknown', 'unparsable', `Message value is not JSON: ${errorMessage(error)}`);
    }
    const structure = envelopeSchema.safeParse(raw);
    if (!structure.success) {
      const issues = describeIssues(validationIssues(structure.error));
      return reject('unknown', 'invalid-envelope', `Not a message envelope: ${issues}`);
    }
    const type = structure.data.type;
    const registration = this.options.handlers.get(type);
    if (!registration) {
      return this.options.onUnhandled === 'ignore'
        ? { kind: 'ignore', type }
        : reject(type, 'unhandled-type', `No handler for '${type}' in group ${this.options.groupId}`);
    }
    const read = this.options.registry.read(raw, registration.message.version);
    if (!read.ok) return reject(type, read.rejection.reason, read.rejection.message);
    return { kind: 'handle', registration, envelope: read.envelope, upcastFrom: read.upcastFrom };
  }

  private async handleWithRetries(
    record: IncomingRecord,
    decoded: Extract<Decoded, { kind: 'handle' }>,
    control: DeliveryControl,
  ): Promise<RecordOutcome> {
    const { retry, groupId, logger } = this.options;
    const { envelope, registration } = decoded;
    let failures = 0; // failures that count toward maxAttempts (not transient ones)
    for (let attempt = 1; ; attempt++) {
      const context: MessageContext = {
        groupId,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        attempt,
        headers: record.headers,
        ...(decoded.upcastFrom === undefined ? {} : { upcastFrom: decoded.upcastFrom }),
      };
      try {
        await withConsumerSpan(
          `${record.topic} process`,
          record.headers,
          {
            ...kafkaMessageAttributes({
              topic: record.topic,
              operation: 'process',
              partition: record.partition,
              offset: record.offset,
              key: record.key,
              consumerGroup: groupId,
            }),
            'messaging.message.id': envelope.id,
            'shop.message.type': envelope.type,
            'shop.handler.attempt': attempt,
          },
          () => registration.handle(envelope, context),
        );
        this.count(envelope.type, 'handled');
        return 'handled';
      } catch (error) {
        const transient = retry.isTransient(error);
        if (!transient) failures++;
        if (failures >= retry.maxAttempts) {
          const deadLetter = {
            reason: 'handler-failed' as const,
            error: errorMessage(error),
            attempts: attempt,
          };
          await this.deadLetter(record, envelope.type, deadLetter, control);
          return 'dead-lettered';
        }
        if (control.stopping.aborted) throw new ConsumerStoppingError(record);
        const delayMs = backoffDelay(attempt, retry);
        this.options.metrics.retries.inc({ group: groupId, type: envelope.type });
        logger.warn('Handler failed, retrying', {
          group: groupId,
          type: envelope.type,
          messageId: envelope.id,
          attempt,
          transient,
          delayMs,
          error: errorMessage(error),
        });
        await this.pause(delayMs, record, control);
      }
    }
  }

  /** Sends to the dead-letter topic, retrying until Kafka takes it: the offset moves on only after. */
  private async deadLetter(
    record: IncomingRecord,
    type: string,
    deadLetter: DeadLetter,
    control: DeliveryControl,
  ): Promise<void> {
    const { groupId, deadLetterTopic, producer, logger, retry } = this.options;
    const letter = deadLetterRecord(record, deadLetter, groupId, deadLetterTopic);
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send([letter]);
        break;
      } catch (error) {
        if (control.stopping.aborted) throw new ConsumerStoppingError(record);
        logger.error('Dead-letter publish failed, retrying', {
          topic: deadLetterTopic,
          error: errorMessage(error),
        });
        await this.pause(backoffDelay(attempt, retry), record, control);
      }
    }
    this.count(type, 'dead_lettered');
    logger.warn('Message sent to the dead-letter topic', {
      group: groupId,
      deadLetterTopic,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      reason: deadLetter.reason,
      error: deadLetter.error,
    });
  }

  private async pause(ms: number, record: IncomingRecord, control: DeliveryControl): Promise<void> {
    await sleep(ms, control.stopping);
    if (control.stopping.aborted) throw new ConsumerStoppingError(record);
    await control.heartbeat();
  }

  private count(type: string, outcome: 'handled' | 'ignored' | 'dead_lettered'): void {
    this.options.metrics.consumed.inc({ group: this.options.groupId, type, outcome });
  }
}

function reject(type: string, reason: DeadLetter['reason'], error: string): Decoded {
  return { kind: 'reject', type, deadLetter: { reason, error, attempts: 0 } };
}
