import type { MessageEnvelope } from '@shop/contracts';

/**
 * The small surface the rest of the platform sees of the message broker.
 * kafkajs (unmaintained since 2023) sits behind these in src/kafka/; swapping
 * it for @confluentinc/kafka-javascript or @platformatic/kafka means writing
 * a new RecordProducer and a new driver for processRecord, nothing else.
 */

/** A message ready for the broker: value is the serialized envelope. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string | Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** A message as a consumer received it. */
export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Sends records with acks from all in-sync replicas. Resolves once the broker
 * acknowledged every record; rejects if any may not have been written (then
 * some may have been: callers resend, consumers deduplicate).
 */
export interface RecordProducer {
  send(records: readonly OutgoingRecord[]): Promise<void>;
}

/**
 * Validates envelopes against the registry and publishes them at once (not
 * through the outbox). For state changes use the outbox: publishing after a
 * commit can lose the message, publishing before can announce a change that
 * rolled back.
 */
export interface MessagePublisher {
  publish(messages: MessageEnvelope | readonly MessageEnvelope[]): Promise<void>;
}

/** A running consumer group member. */
export interface MessageConsumer {
  readonly groupId: string;
  /** Joins the group; resolves once partitions are assigned and fetching started. */
  start(): Promise<void>;
  /**
   * Stops fetching, lets in-flight handler attempts finish, commits the
   * offsets of handled messages and leaves the group.
   */
  stop(): Promise<void>;
}
