/**
 * Boots the inventory in-process on a free port with explicit settings, for
 * the integration tests (which bring their own database, Redis prefix and
 * dedicated Kafka broker), plus the helpers they share.
 */
import type { LooseJson } from '@shop/testing';
import type { ServiceInfrastructure } from '@shop/testing';
import type { MessageEnvelope } from '@shop/contracts';
import { bootstrapService, loadServiceConfig, signIdentity, type RunningService } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import type { Kafka, Consumer } from 'kafkajs';
import { inventoryEnv, type InventoryConfig } from '../config';
import { InventoryModule, SERVICE_NAME } from '../inventory.module';

export const TEST_IDENTITY_SECRET = 'inventory-test-secret-0123456789abcdef';

export interface InventorySettings extends ServiceInfrastructure {
  /** Extra variables (e.g. RESERVATION_TTL_MS: '1500'). */
  env?: Record<string, string>;
}

export interface RunningInventory extends RunningService {
  readonly config: InventoryConfig;
}

export async function startInventory(settings: InventorySettings): Promise<RunningInventory> {
  const config = loadServiceConfig(inventoryEnv, {
    INVENTORY_DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.redisKeyPrefix,
    KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    OUTBOX_POLL_INTERVAL_MS: '50',
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    COMMAND_PARTITIONS_CONCURRENCY: '4',
    SWEEPER_LEADER_TTL_MS: '2000',
    // Short sessions: a stopped instance's partitions move on quickly (as verified on the dev broker).
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    LOG_LEVEL: 'silent',
    ...settings.env,
  });
  const service = await bootstrapService({
    name: SERVICE_NAME,
    module: InventoryModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ serviceName: SERVICE_NAME, level: 'silent' }),
  });
  return { ...service, config };
}

export const adminHeaders = (): Record<string, string> =>
  signIdentity({ userId: 'admin-1', roles: ['admin'] }, TEST_IDENTITY_SECRET);
export const customerHeaders = (): Record<string, string> =>
  signIdentity({ userId: 'customer-1', roles: ['customer'] }, TEST_IDENTITY_SECRET);

export { callJson as call, type Answer, type LooseJson } from '@shop/testing';

/** Every envelope published on `topics` since the start, collected by a raw consumer (an observer). */
export interface TopicRecorder {
  readonly messages: MessageEnvelope<LooseJson>[];
  of(type: string, aggregateId?: string): MessageEnvelope<LooseJson>[];
  stop(): Promise<void>;
}

export async function recordTopics(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
): Promise<TopicRecorder> {
  const messages: MessageEnvelope<LooseJson>[] = [];
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      messages.push(JSON.parse(message.value!.toString()) as MessageEnvelope<LooseJson>);
    },
  });
  return {
    messages,
    of: (type, aggregateId) =>
      messages.filter((m) => m.type === type && (aggregateId === undefined || m.aggregateId === aggregateId)),
    stop: () => consumer.disconnect(),
  };
}
