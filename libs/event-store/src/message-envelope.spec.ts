import { envelopeSchema } from '@shop/contracts';
import type { StoredEvent } from './events';
import { aggregateIdOf, toMessageEnvelope } from './message-envelope';

const stored: StoredEvent = {
  position: 7,
  streamId: 'order-0190a3c4-7e2b-7cc1-8f00-1234567890ab',
  streamType: 'order',
  version: 3,
  eventId: '0190a3c4-7e2b-7cc1-8f00-00000000abcd',
  type: 'OrderPlaced',
  schemaVersion: 2,
  payload: { total: 10 },
  metadata: { correlationId: 'corr-1', causationId: 'cmd-1', traceparent: 'ignored-here' },
  occurredAt: new Date('2026-11-02T10:00:00.123Z'),
};

describe('toMessageEnvelope', () => {
  it('carries the event as a valid platform envelope, keyed by the aggregate id', () => {
    const envelope = toMessageEnvelope(stored, 'order');
    expect(envelope).toEqual({
      id: stored.eventId,
      type: 'OrderPlaced',
      version: 2,
      source: 'order',
      occurredAt: '2026-11-02T10:00:00.123Z',
      aggregateId: '0190a3c4-7e2b-7cc1-8f00-1234567890ab',
      aggregateVersion: 3,
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      payload: { total: 10 },
    });
    expect(envelopeSchema.safeParse(envelope).success).toBe(true);
  });

  it('starts a flow when the event has no correlation metadata', () => {
    const envelope = toMessageEnvelope({ ...stored, metadata: {} }, 'order');
    expect(envelope.correlationId).toBe(stored.eventId);
    expect(envelope.causationId).toBeNull();
  });
});

describe('aggregateIdOf', () => {
  it('strips the stream type prefix only when it is there', () => {
    expect(aggregateIdOf({ streamId: 'account-a1', streamType: 'account' })).toBe('a1');
    expect(aggregateIdOf({ streamId: 'legacy42', streamType: 'account' })).toBe('legacy42');
  });
});
