import { messageLabel, type MessageDefinition, type MessageEnvelope, type MessageOf } from '@shop/contracts';

/** Where and how a message was delivered, for the handler. */
export interface MessageContext {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 for the first attempt, 2 for the first retry ... */
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The version the message arrived in, if it was upcast to the handler's version. */
  readonly upcastFrom?: number;
}

export type MessageHandler<E extends MessageEnvelope = MessageEnvelope> = (
  message: E,
  context: MessageContext,
) => Promise<void>;

/** A handler for one message type, at the version it expects (older ones are upcast). */
export interface HandlerRegistration {
  readonly message: MessageDefinition;
  readonly handle: MessageHandler;
}

/** `handle(OrderPlacedV2, async (event, ctx) => ...)`, typed by the definition. */
export function handle<D extends MessageDefinition>(
  message: D,
  handler: MessageHandler<MessageOf<D>>,
): HandlerRegistration {
  return { message, handle: handler as MessageHandler };
}

/** One handler per message type within a consumer group. */
export function handlerTable(
  registrations: readonly HandlerRegistration[],
): Map<string, HandlerRegistration> {
  const table = new Map<string, HandlerRegistration>();
  for (const registration of registrations) {
    const existing = table.get(registration.message.type);
    if (existing)
      throw new Error(
        `Two handlers for ${registration.message.type} in one consumer group ` +
          `(${messageLabel(existing.message)} and ${messageLabel(registration.message)})`,
      );
    table.set(registration.message.type, registration);
  }
  return table;
}

/** The topics a group must subscribe to for its handlers. */
export function topicsOf(registrations: readonly HandlerRegistration[]): string[] {
  return [...new Set(registrations.map((r) => r.message.topic))].sort();
}
