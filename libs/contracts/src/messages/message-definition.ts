import type { z } from 'zod';
import { createEnvelope, type EnvelopeInput, type MessageEnvelope } from '../envelope/envelope';

export type MessageKind = 'event' | 'command';

/**
 * One message type at one schema version, with the topic it travels on. The
 * catalogue of the platform's messages is a list of these, declared by the
 * services that own them; the registry checks messages against them at
 * publish and at consume.
 */
export interface MessageDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly kind: MessageKind;
  readonly type: TType;
  readonly version: number;
  /** Kafka topic name, e.g. `TOPICS.orderEvents.name`. */
  readonly topic: string;
  /** Schema of the payload at this version. */
  readonly schema: TSchema;
  /** An envelope of this message, its payload validated (throws on an invalid payload). */
  create(input: MessageInput<TSchema>): MessageEnvelope<z.output<TSchema>, TType>;
}

export type MessageInput<TSchema extends z.ZodType> = Omit<
  EnvelopeInput<z.input<TSchema>>,
  'type' | 'version'
>;

/** The envelope type of a definition: `MessageOf<typeof OrderPlacedV2>`. */
export type MessageOf<D> =
  D extends MessageDefinition<infer TType, infer TSchema> ? MessageEnvelope<z.output<TSchema>, TType> : never;

/** The payload type of a definition. */
export type PayloadOf<D> = D extends MessageDefinition<string, infer TSchema> ? z.output<TSchema> : never;

export interface MessageSpec<TType extends string, TSchema extends z.ZodType> {
  type: TType;
  version: number;
  schema: TSchema;
  topic: string;
  /** Default 'event'. */
  kind?: MessageKind;
}

export function defineMessage<TType extends string, TSchema extends z.ZodType>(
  spec: MessageSpec<TType, TSchema>,
): MessageDefinition<TType, TSchema> {
  if (!Number.isInteger(spec.version) || spec.version < 1)
    throw new Error(`${spec.type}: version must be a positive integer, got ${spec.version}`);
  const definition: MessageDefinition<TType, TSchema> = {
    kind: spec.kind ?? 'event',
    type: spec.type,
    version: spec.version,
    topic: spec.topic,
    schema: spec.schema,
    create(input) {
      const payload = spec.schema.parse(input.payload) as z.output<TSchema>;
      return createEnvelope({ ...input, payload, type: spec.type, version: spec.version });
    },
  };
  return Object.freeze(definition);
}

/** `OrderPlaced v2`: how messages are named in errors and logs. */
export function messageLabel(message: { type: string; version: number }): string {
  return `${message.type} v${message.version}`;
}
