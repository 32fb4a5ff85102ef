import { causedBy, createEnvelope, envelopeSchema } from './envelope';
import { uuidv7, uuidv7Timestamp } from './uuid-v7';

const base = {
  type: 'AccountOpened',
  version: 1,
  source: 'accounts',
  aggregateId: 'a-1',
  aggregateVersion: 1,
};

describe('createEnvelope', () => {
  it('fills id, time and correlation for the first message of a flow', () => {
    const before = Date.now();
    const envelope = createEnvelope({ ...base, payload: { owner: 'ada' } });
    expect(envelope).toEqual({
      ...base,
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      occurredAt: expect.any(String),
      correlationId: envelope.id,
      causationId: null,
      payload: { owner: 'ada' },
    });
    expect(Date.parse(envelope.occurredAt)).toBeGreaterThanOrEqual(before - 1);
    expect(envelopeSchema.safeParse(envelope).success).toBe(true);
  });

  it('carries correlation and causation from the message that caused it', () => {
    const command = createEnvelope({ ...base, type: 'OpenAccount', payload: {} });
    const event = createEnvelope({ ...base, payload: {}, ...causedBy(command) });
    const next = createEnvelope({ ...base, type: 'WelcomeSent', payload: {}, ...causedBy(event) });
    expect(event).toMatchObject({ correlationId: command.id, causationId: command.id });
    expect(next).toMatchObject({ correlationId: command.id, causationId: event.id });
  });

  it('keeps explicit ids and times and formats dates as ISO strings', () => {
    const envelope = createEnvelope({
      ...base,
      payload: null,
      id: '0190aaaa-0000-7000-8000-000000000001',
      occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(envelope.id).toBe('0190aaaa-0000-7000-8000-000000000001');
    expect(envelope.occurredAt).toBe('2026-01-02T03:04:05.678Z');
  });

  it('rejects envelopes without the required fields', () => {
    const { aggregateId: _dropped, ...incomplete } = createEnvelope({ ...base, payload: {} });
    const result = envelopeSchema.safeParse({ ...incomplete, version: 0 });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['aggregateId', 'version']);
  });
});

describe('uuidv7', () => {
  it('is strictly increasing within one millisecond and when the clock goes back', () => {
    const now = Date.now() + 60_000;
    const ids = [uuidv7(now), uuidv7(now), uuidv7(now), uuidv7(now - 5000), uuidv7(now + 1)];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  // After the test above: this process's clock then jumps ahead, so its time is used as given.
  it('encodes the creation time and the version and variant bits', () => {
    const id = uuidv7(Date.UTC(2099, 10, 21, 8, 30));
    expect(uuidv7Timestamp(id).toISOString()).toBe('2099-11-21T08:30:00.000Z');
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
  });
});
