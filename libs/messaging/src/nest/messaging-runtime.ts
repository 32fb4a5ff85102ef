import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { MessageDefinition } from '@shop/contracts';
import type { HandlerRegistration, MessageHandler } from '../consumer/handlers';
import { KafkaMessaging } from '../kafka/kafka-messaging';
import { OutboxRelay } from '../outbox/outbox-relay';
import type { MessageConsumer } from '../ports';
import { HANDLE_MESSAGE_METADATA, type HandleMessageMetadata } from './handle-message.decorator';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging.options';

/**
 * Starts what the module runs: consumer groups with the @HandleMessage
 * methods found on providers, and the outbox relay if configured. Stops them
 * in onModuleDestroy, before onApplicationShutdown hooks run (close database
 * pools there, so in-flight handlers can finish their transactions).
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumers: MessageConsumer[] = [];
  private relay: OutboxRelay | undefined;

  constructor(
    // Explicit tokens: the code does not depend on emitted decorator metadata.
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(KafkaMessaging) private readonly messaging: KafkaMessaging,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlersByGroup = this.discoverHandlers();
    for (const group of this.options.consumers ?? []) {
      const handlers = handlersByGroup.get(group.groupId) ?? [];
      handlersByGroup.delete(group.groupId);
      if (handlers.length > 0) this.consumers.push(this.messaging.consumer({ ...group, handlers }));
    }
    if (handlersByGroup.size > 0)
      throw new Error(
        `@HandleMessage names unknown consumer groups: ${[...handlersByGroup.keys()].join(', ')}`,
      );
    await Promise.all(this.consumers.map((c) => c.start()));
    if (this.options.outboxRelay) {
      this.relay = new OutboxRelay({
        logger: this.options.logger,
        ...this.options.outboxRelay,
        producer: this.messaging.producer,
      });
      await this.relay.start();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay?.stop();
    await this.messaging.close(); // stops the consumers gracefully, then the producer
  }

  private discoverHandlers(): Map<string, HandlerRegistration[]> {
    const defaultGroup = this.options.consumers?.[0]?.groupId;
    const byGroup = new Map<string, HandlerRegistration[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const target = instance[method] as MessageHandler | undefined;
        const metadata = target && this.reflector.get<HandleMessageMetadata>(HANDLE_MESSAGE_METADATA, target);
        if (!metadata) continue;
        const group = metadata.group ?? defaultGroup;
        if (!group)
          throw new Error(`@HandleMessage on ${wrapper.name}.${method} but no consumer group is configured`);
        const registrations = byGroup.get(group) ?? [];
        registrations.push({ message: this.resolve(metadata.message), handle: target.bind(instance) });
        byGroup.set(group, registrations);
      }
    }
    return byGroup;
  }

  private resolve(message: MessageDefinition | string): MessageDefinition {
    if (typeof message !== 'string') return message;
    const latest = this.messaging.registry.latest(message);
    if (!latest) throw new Error(`@HandleMessage('${message}'): the type is not in the registry`);
    return latest;
  }
}
