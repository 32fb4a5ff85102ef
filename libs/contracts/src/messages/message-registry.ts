import { envelopeSchema, type MessageEnvelope } from '../envelope/envelope';
import { describeIssues, validationIssues } from '../validation-issues';
import { messageLabel, type MessageDefinition } from './message-definition';
import { MessageValidationError, type MessageRejection } from './message-rejection';
import type { Upcaster } from './upcaster';

export type ReadResult =
  | {
      ok: true;
      envelope: MessageEnvelope;
      /** The version it arrived in, when it was upcast. */ upcastFrom?: number;
    }
  | { ok: false; rejection: MessageRejection };

/**
 * The schemas of the messages a service produces or consumes, one per
 * type+version, and the upcasters between versions. Publishers validate
 * against it (`validate`); consumers read through it (`read`), which upcasts
 * old versions to the one the handler expects and rejects, with a reason,
 * what it cannot vouch for.
 */
export class MessageRegistry {
  private readonly byType = new Map<string, Map<number, MessageDefinition>>();
  private readonly upcasters = new Map<string, Map<number, Upcaster>>();

  constructor(definitions: readonly MessageDefinition[] = [], upcasters: readonly Upcaster[] = []) {
    this.register(...definitions);
    for (const upcaster of upcasters) this.addUpcaster(upcaster);
  }

  register(...definitions: readonly MessageDefinition[]): this {
    for (const definition of definitions) {
      const versions = mapFor(this.byType, definition.type);
      const existing = versions.get(definition.version);
      if (existing && existing !== definition)
        throw new Error(`${messageLabel(definition)} is registered twice with different definitions`);
      versions.set(definition.version, definition);
    }
    return this;
  }

  addUpcaster(upcaster: Upcaster): this {
    const steps = mapFor(this.upcasters, upcaster.type);
    if (steps.has(upcaster.fromVersion))
      throw new Error(`Two upcasters for ${upcaster.type} from v${upcaster.fromVersion}`);
    steps.set(upcaster.fromVersion, upcaster);
    return this;
  }

  get(type: string, version: number): MessageDefinition | undefined {
    return this.byType.get(type)?.get(version);
  }

  /** The highest registered version of `type`. */
  latest(type: string): MessageDefinition | undefined {
    const versions = this.byType.get(type);
    if (!versions?.size) return undefined;
    return versions.get(Math.max(...versions.keys()));
  }

  definitions(): MessageDefinition[] {
    return [...this.byType.values()].flatMap((versions) => [...versions.values()]);
  }

  /**
   * The check at publish: the exact type+version must be registered and the
   * payload must match it. Returns the envelope with the parsed payload
   * (defaults applied); throws MessageValidationError otherwise.
   */
  validate<E extends MessageEnvelope>(envelope: E): E {
    const structure = envelopeSchema.safeParse(envelope);
    if (!structure.success) throw new MessageValidationError(invalidEnvelope(structure.error));
    const definition = this.get(envelope.type, envelope.version);
    if (!definition)
      throw new MessageValidationError(
        this.byType.has(envelope.type)
          ? { reason: 'unsupported-version', message: `${messageLabel(envelope)} is not registered` }
          : { reason: 'unknown-type', message: `Message type '${envelope.type}' is not registered` },
      );
    const payload = definition.schema.safeParse(envelope.payload);
    if (!payload.success) throw new MessageValidationError(invalidPayload(envelope, payload.error));
    return { ...envelope, payload: payload.data };
  }

  /** The definition a validated envelope belongs to (its topic, kind). */
  definitionOf(envelope: Pick<MessageEnvelope, 'type' | 'version'>): MessageDefinition {
    const definition = this.get(envelope.type, envelope.version);
    if (!definition) throw new MessageValidationError(this.unsupported(envelope));
    return definition;
  }

  /**
   * The check at consume: `raw` (parsed JSON) must be an envelope of a
   * registered type whose version can be upcast to `targetVersion` (default:
   * the latest registered), with a payload valid at each registered step.
   */
  read(raw: unknown, targetVersion?: number): ReadResult {
    const structure = envelopeSchema.safeParse(raw);
    if (!structure.success) return { ok: false, rejection: invalidEnvelope(structure.error) };
    const arrived = structure.data as MessageEnvelope;
    const target = targetVersion ?? this.latest(arrived.type)?.version;
    if (target === undefined)
      return {
        ok: false,
        rejection: { reason: 'unknown-type', message: `Message type '${arrived.type}' is not registered` },
      };
    const targetDefinition = this.get(arrived.type, target);
    if (!targetDefinition) throw new Error(`read: ${arrived.type} v${target} is not registered`);
    if (arrived.version > target)
      return {
        ok: false,
        rejection: {
          reason: 'unsupported-version',
          message: `${messageLabel(arrived)} is newer than the v${target} this consumer understands`,
        },
      };

    let current = arrived;
    while (current.version < target) {
      const step = this.upcasters.get(current.type)?.get(current.version);
      if (!step) return { ok: false, rejection: this.unsupported(current, target) };
      const known = this.get(current.type, current.version);
      if (known) {
        const checked = known.schema.safeParse(current.payload);
        if (!checked.success) return { ok: false, rejection: invalidPayload(current, checked.error) };
        current = { ...current, payload: checked.data };
      }
      current = { ...current, version: current.version + 1, payload: step.upcast(current.payload, current) };
    }

    const payload = targetDefinition.schema.safeParse(current.payload);
    if (!payload.success) return { ok: false, rejection: invalidPayload(current, payload.error) };
    const envelope = { ...current, payload: payload.data };
    return arrived.version === target
      ? { ok: true, envelope }
      : { ok: true, envelope, upcastFrom: arrived.version };
  }

  private unsupported(message: Pick<MessageEnvelope, 'type' | 'version'>, target?: number): MessageRejection {
    const to = target === undefined ? '' : ` to v${target}`;
    return {
      reason: 'unsupported-version',
      message: `${messageLabel(message)} is not registered and has no upcaster${to}`,
    };
  }
}

function mapFor<V>(maps: Map<string, Map<number, V>>, type: string): Map<number, V> {
  let versions = maps.get(type);
  if (!versions) maps.set(type, (versions = new Map()));
  return versions;
}

function invalidEnvelope(error: Parameters<typeof validationIssues>[0]): MessageRejection {
  const issues = validationIssues(error);
  return { reason: 'invalid-envelope', message: `Not a message envelope: ${describeIssues(issues)}`, issues };
}

function invalidPayload(
  envelope: Pick<MessageEnvelope, 'type' | 'version'>,
  error: Parameters<typeof validationIssues>[0],
): MessageRejection {
  const issues = validationIssues(error);
  return {
    reason: 'invalid-payload',
    message: `Invalid ${messageLabel(envelope)} payload: ${describeIssues(issues)}`,
    issues,
  };
}
