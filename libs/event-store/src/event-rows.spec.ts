import { prepareEvent, storedFromRow, toPosition } from './event-rows';

describe('prepareEvent', () => {
  const now = new Date('2026-11-02T10:00:00.123Z');

  it('fills in id, schema version, metadata and time', () => {
    const prepared = prepareEvent({ type: 'OrderPlaced', payload: { total: 10 } }, now);
    expect(prepared).toMatchObject({
      type: 'OrderPlaced',
      schemaVersion: 1,
      payload: { total: 10 },
      metadata: {},
      occurredAt: now,
    });
    expect(prepared.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps what the caller gave, with the event id in lower case', () => {
    const occurredAt = new Date('2026-01-01T00:00:00Z');
    const prepared = prepareEvent(
      {
        type: 'T',
        payload: null,
        schemaVersion: 3,
        eventId: '0190A3C4-7E2B-7CC1-8F00-1234567890AB',
        metadata: { correlationId: 'c' },
        occurredAt,
      },
      now,
    );
    expect(prepared).toEqual({
      type: 'T',
      payload: null,
      schemaVersion: 3,
      eventId: '0190a3c4-7e2b-7cc1-8f00-1234567890ab',
      metadata: { correlationId: 'c' },
      occurredAt,
    });
  });

  it('rejects events without a type or with a bad schema version', () => {
    expect(() => prepareEvent({ type: '', payload: 1 }, now)).toThrow(TypeError);
    expect(() => prepareEvent({ type: 'T', payload: 1, schemaVersion: 0 }, now)).toThrow(RangeError);
  });
});

describe('row mapping', () => {
  it('reads bigint positions from strings (pg) and bigints (Prisma)', () => {
    expect(toPosition('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toPosition(12n)).toBe(12);
    expect(() => toPosition('9007199254740993')).toThrow(RangeError);
  });

  it('maps a row to a StoredEvent', () => {
    expect(
      storedFromRow({
        position: '7',
        stream_id: 'order-1',
        stream_type: 'order',
        version: 2,
        event_id: 'e',
        type: 'OrderPaid',
        schema_version: 1,
        payload: { a: 1 },
        metadata: { causationId: 'x' },
        occurred_at: '2026-11-02T10:00:00.123Z',
      }),
    ).toEqual({
      position: 7,
      streamId: 'order-1',
      streamType: 'order',
      version: 2,
      eventId: 'e',
      type: 'OrderPaid',
      schemaVersion: 1,
      payload: { a: 1 },
      metadata: { causationId: 'x' },
      occurredAt: new Date('2026-11-02T10:00:00.123Z'),
    });
  });
});
