import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessageRegistry } from '@shop/contracts';
import { KafkaMessaging } from '../kafka/kafka-messaging';
import { OutboxWriter } from '../outbox/outbox-writer';
import { MessagingRuntime } from './messaging-runtime';
import {
  ConfigurableMessagingModule,
  MESSAGING_OPTIONS,
  type MessagingModuleOptions,
} from './messaging.options';

/** Injection token of the MessagePublisher (direct publish, validated). */
export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');

/**
 * Kafka messaging for a Nest service:
 *
 *   MessagingModule.forRoot({ clientId: 'order', brokers, registry, consumers: [{ groupId: 'order-saga' }] })
 *   MessagingModule.forRootAsync({ inject: [...], useFactory: (...) => ({ ... }) })
 *
 * Provides KafkaMessaging, MESSAGE_PUBLISHER, OutboxWriter and the
 * MessageRegistry; runs the consumer groups (handlers: @HandleMessage
 * methods) and optionally the outbox relay. Global unless `isGlobal: false`.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: KafkaMessaging,
      inject: [MESSAGING_OPTIONS],
      useFactory: (options: MessagingModuleOptions) =>
        new KafkaMessaging({
          clientId: options.clientId,
          brokers: options.brokers,
          registry: options.registry,
          client: options.kafka,
          logger: options.logger,
        }),
    },
    { provide: MESSAGE_PUBLISHER, inject: [KafkaMessaging], useFactory: (m: KafkaMessaging) => m.publisher },
    { provide: MessageRegistry, inject: [KafkaMessaging], useFactory: (m: KafkaMessaging) => m.registry },
    {
      provide: OutboxWriter,
      inject: [MESSAGING_OPTIONS],
      useFactory: (options: MessagingModuleOptions) =>
        new OutboxWriter({ registry: options.registry, notifyChannel: options.outboxNotifyChannel }),
    },
    MessagingRuntime,
  ],
  exports: [KafkaMessaging, MESSAGE_PUBLISHER, MessageRegistry, OutboxWriter],
})
export class MessagingModule extends ConfigurableMessagingModule {}
