import type { z } from 'zod';
import type { MessageEnvelope } from '../envelope/envelope';
import type { MessageDefinition, MessageOf } from './message-definition';

/**
 * Turns the payload of `type` at `fromVersion` into the payload at
 * `fromVersion + 1`. Chained on read, so a v1 message reaches a v3 handler
 * through v1->v2 and v2->v3. Upcasters are pure: same input, same output.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(payload: unknown, envelope: MessageEnvelope): unknown;
}

/** A typed upcaster between two consecutive versions of one message. */
export function defineUpcaster<From extends MessageDefinition, To extends MessageDefinition>(
  from: From,
  to: To,
  upcast: (payload: MessageOf<From>['payload'], envelope: MessageOf<From>) => z.input<To['schema']>,
): Upcaster {
  if (from.type !== to.type) throw new Error(`Upcaster from ${from.type} to ${to.type}: types differ`);
  if (to.version !== from.version + 1)
    throw new Error(`Upcaster for ${from.type}: v${from.version} -> v${to.version} is not one step`);
  return {
    type: from.type,
    fromVersion: from.version,
    upcast: (payload, envelope) => upcast(payload as never, envelope as never),
  };
}
