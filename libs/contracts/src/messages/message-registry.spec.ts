import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { defineMessage } from './message-definition';
import { MessageRegistry } from './message-registry';
import { MessageValidationError } from './message-rejection';
import { defineUpcaster } from './upcaster';

// Example catalogue: a message that grew twice.
const topic = 'accounts.events';
const DepositedV1 = defineMessage({
  type: 'Deposited',
  version: 1,
  topic,
  schema: z.object({ cents: z.number().int() }),
});
const DepositedV2 = defineMessage({
  type: 'Deposited',
  version: 2,
  topic,
  schema: z.object({ amount: z.object({ cents: z.number().int(), currency: z.string().length(3) }) }),
});
const DepositedV3 = defineMessage({
  type: 'Deposited',
  version: 3,
  topic,
  schema: z.object({
    amount: z.object({ cents: z.number().int(), currency: z.string().length(3) }),
    channel: z.enum(['web', 'legacy']),
  }),
});
const v1ToV2 = defineUpcaster(DepositedV1, DepositedV2, (p) => ({
  amount: { cents: p.cents, currency: 'EUR' },
}));
const v2ToV3 = defineUpcaster(DepositedV2, DepositedV3, (p) => ({ ...p, channel: 'legacy' as const }));

const source = { source: 'accounts', aggregateId: 'acc-1', aggregateVersion: 4 };
const rawV1 = (payload: unknown) => ({
  ...createEnvelope({ ...source, type: 'Deposited', version: 1, payload }),
});

describe('MessageRegistry at publish (validate)', () => {
  const registry = new MessageRegistry([DepositedV1, DepositedV2]);

  it('accepts a registered type+version with a valid payload and returns the parsed payload', () => {
    const envelope = DepositedV2.create({ ...source, payload: { amount: { cents: 5, currency: 'EUR' } } });
    expect(registry.validate(envelope)).toEqual(envelope);
  });

  it.each([
    ['invalid-payload', rawV1({ cents: 1.5 })],
    ['unsupported-version', { ...rawV1({ cents: 1 }), version: 3 }],
    ['unknown-type', { ...rawV1({ cents: 1 }), type: 'Withdrawn' }],
    ['invalid-envelope', { ...rawV1({ cents: 1 }), id: 'not-a-uuid' }],
  ])('throws MessageValidationError (%s)', (reason, envelope) => {
    expect(() => registry.validate(envelope)).toThrow(MessageValidationError);
    expect(() => registry.validate(envelope)).toThrow(expect.objectContaining({ reason }));
  });

  it('refuses a second, different definition of the same type+version', () => {
    const clash = defineMessage({ type: 'Deposited', version: 1, topic, schema: z.object({}) });
    expect(() => registry.register(clash)).toThrow(/registered twice/);
    expect(() => registry.register(DepositedV1)).not.toThrow();
  });

  it('builds only valid envelopes from a definition', () => {
    expect(() => DepositedV1.create({ ...source, payload: { cents: 'ten' as never } })).toThrow();
  });
});

describe('MessageRegistry at consume (read)', () => {
  const registry = new MessageRegistry([DepositedV1, DepositedV2, DepositedV3], [v1ToV2, v2ToV3]);

  it('upcasts an old version through every step to the latest, keeping identity fields', () => {
    const old = rawV1({ cents: 250 });
    const result = registry.read(old);
    expect(result).toEqual({
      ok: true,
      upcastFrom: 1,
      envelope: {
        ...old,
        version: 3,
        payload: { amount: { cents: 250, currency: 'EUR' }, channel: 'legacy' },
      },
    });
  });

  it('upcasts only as far as the version the handler asks for', () => {
    const result = registry.read(rawV1({ cents: 1 }), 2);
    expect(result.ok && result.envelope).toMatchObject({ version: 2, payload: { amount: { cents: 1 } } });
  });

  it('passes a current message through unchanged', () => {
    const current = DepositedV3.create({
      ...source,
      payload: { amount: { cents: 1, currency: 'USD' }, channel: 'web' },
    });
    expect(registry.read(JSON.parse(JSON.stringify(current)))).toEqual({ ok: true, envelope: current });
  });

  it('rejects a version newer than the handler understands', () => {
    const result = registry.read({ ...rawV1({}), version: 3 }, 2);
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'unsupported-version' } });
  });

  it('rejects an old version when a step of the upcaster chain is missing', () => {
    const withoutFirstStep = new MessageRegistry([DepositedV2, DepositedV3], [v2ToV3]);
    const result = withoutFirstStep.read(rawV1({ cents: 1 }));
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'unsupported-version' } });
    if (!result.ok) expect(result.rejection.message).toContain('Deposited v1');
  });

  it('checks the payload against the old schema before upcasting it', () => {
    const result = registry.read(rawV1({ cents: 'lots' }));
    expect(result).toMatchObject({
      ok: false,
      rejection: { reason: 'invalid-payload', issues: [{ path: 'cents', message: expect.any(String) }] },
    });
  });

  it('rejects unknown types and non-envelopes', () => {
    expect(registry.read({ ...rawV1({}), type: 'Nope' })).toMatchObject({
      ok: false,
      rejection: { reason: 'unknown-type' },
    });
    expect(registry.read([1, 2])).toMatchObject({ ok: false, rejection: { reason: 'invalid-envelope' } });
  });

  it('only builds upcasters between consecutive versions of one type', () => {
    expect(() => defineUpcaster(DepositedV1, DepositedV3, () => ({}) as never)).toThrow(/not one step/);
    expect(() => new MessageRegistry([], [v1ToV2, v1ToV2])).toThrow(/Two upcasters/);
  });
});
