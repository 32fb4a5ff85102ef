import { SetMetadata } from '@nestjs/common';
import type { MessageDefinition } from '@shop/contracts';

export const HANDLE_MESSAGE_METADATA = 'shop:messaging:handle-message';

export interface HandleMessageMetadata {
  /** A definition (the version the method expects), or a type name: its latest registered version. */
  message: MessageDefinition | string;
  /** Consumer group (MessagingModuleOptions.consumers); default the first one. */
  group?: string;
}

/**
 * Marks a provider method as the handler of a message type:
 *
 *   @HandleMessage(OrderPlacedV2)
 *   async onOrderPlaced(event: MessageOf<typeof OrderPlacedV2>, ctx: MessageContext) { ... }
 *
 * The MessagingModule finds such methods at bootstrap and subscribes their
 * consumer group to the messages' topics.
 */
export function HandleMessage(
  message: MessageDefinition | string,
  options: { group?: string } = {},
): MethodDecorator {
  return SetMetadata<string, HandleMessageMetadata>(HANDLE_MESSAGE_METADATA, { message, ...options });
}
