import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { IncomingRecord, OutgoingRecord } from '../ports';

/** kafkajs message -> port record. Repeated header keys keep their last value. */
export function incomingRecord(topic: string, partition: number, message: KafkaMessage): IncomingRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value,
    headers: headerStrings(message.headers),
  };
}

export function kafkaMessage(record: OutgoingRecord): Message {
  return { key: record.key, value: record.value, headers: { ...record.headers } };
}

export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) result[key] = last.toString();
  }
  return result;
}
