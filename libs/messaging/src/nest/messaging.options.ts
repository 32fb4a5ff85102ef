import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MessageRegistry } from '@shop/contracts';
import type { KafkaConfig } from 'kafkajs';
import type { ConsumerGroupOptions } from '../kafka/kafka-messaging';
import type { MessagingLogger } from '../logger';
import type { OutboxRelayOptions } from '../outbox/outbox-relay';

export interface MessagingModuleOptions {
  clientId: string;
  brokers: readonly string[];
  registry: MessageRegistry;
  /** The service's consumer groups; handlers come from @HandleMessage methods. */
  consumers?: readonly Omit<ConsumerGroupOptions, 'handlers'>[];
  /** Run an outbox relay in this process (it publishes with the module's producer). */
  outboxRelay?: Omit<OutboxRelayOptions, 'producer'>;
  /** Passed to the OutboxWriter (NOTIFY on enqueue). */
  outboxNotifyChannel?: string;
  kafka?: Partial<KafkaConfig>;
  logger?: MessagingLogger;
}

export const {
  ConfigurableModuleClass: ConfigurableMessagingModule,
  MODULE_OPTIONS_TOKEN: MESSAGING_OPTIONS,
} = new ConfigurableModuleBuilder<MessagingModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
