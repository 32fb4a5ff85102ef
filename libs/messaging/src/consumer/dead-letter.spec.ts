import type { IncomingRecord } from '../ports';
import { deadLetterRecord } from './dead-letter';

describe('deadLetterRecord', () => {
  const record: IncomingRecord = {
    topic: 'order.events',
    partition: 4,
    offset: '1234',
    key: 'order-7',
    value: Buffer.from('{"id":"x"}'),
    headers: { 'message-id': 'x', traceparent: '00-abc-def-01' },
  };

  it('keeps key, value and headers, and says why, where from and who gave up', () => {
    const letter = deadLetterRecord(
      record,
      { reason: 'handler-failed', error: 'stock service down', attempts: 5 },
      'order-saga',
      'order-saga.dlq',
      new Date('2026-11-21T10:00:00Z'),
    );
    expect(letter).toEqual({
      topic: 'order-saga.dlq',
      key: 'order-7',
      value: record.value,
      headers: {
        'message-id': 'x',
        traceparent: '00-abc-def-01',
        'dlq-reason': 'handler-failed',
        'dlq-error': 'stock service down',
        'dlq-original-topic': 'order.events',
        'dlq-original-partition': '4',
        'dlq-original-offset': '1234',
        'dlq-consumer-group': 'order-saga',
        'dlq-attempts': '5',
        'dlq-failed-at': '2026-11-21T10:00:00.000Z',
      },
    });
  });

  it('copes with records without key or value and truncates long errors', () => {
    const letter = deadLetterRecord(
      { ...record, key: null, value: null },
      { reason: 'unparsable', error: 'x'.repeat(5000), attempts: 0 },
      'g',
      'g.dlq',
    );
    expect(letter.key).toBe('');
    expect(letter.value).toEqual(Buffer.alloc(0));
    expect(letter.headers['dlq-error']).toHaveLength(2000);
  });
});
