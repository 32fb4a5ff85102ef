import type { RejectionReason } from '@shop/contracts';
import type { IncomingRecord, OutgoingRecord } from '../ports';
import { DeadLetterHeader } from '../wire/headers';

/** Why a message was dead-lettered: it could not be read, or its handler kept failing. */
export type DeadLetterReason = RejectionReason | 'handler-failed' | 'unhandled-type';

export interface DeadLetter {
  reason: DeadLetterReason;
  error: string;
  attempts: number;
}

/**
 * The record sent to the dead-letter topic: the original key, value and
 * headers (byte for byte the value, even when it is not JSON) plus headers
 * saying why, where it came from and which group gave up on it. Replaying is
 * publishing the value back to `dlq-original-topic`.
 */
export function deadLetterRecord(
  record: IncomingRecord,
  deadLetter: DeadLetter,
  groupId: string,
  deadLetterTopic: string,
  now: Date = new Date(),
): OutgoingRecord {
  return {
    topic: deadLetterTopic,
    key: record.key ?? '',
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...record.headers,
      [DeadLetterHeader.reason]: deadLetter.reason,
      [DeadLetterHeader.error]: truncate(deadLetter.error, 2000),
      [DeadLetterHeader.originalTopic]: record.topic,
      [DeadLetterHeader.originalPartition]: String(record.partition),
      [DeadLetterHeader.originalOffset]: record.offset,
      [DeadLetterHeader.consumerGroup]: groupId,
      [DeadLetterHeader.attempts]: String(deadLetter.attempts),
      [DeadLetterHeader.failedAt]: now.toISOString(),
    },
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
