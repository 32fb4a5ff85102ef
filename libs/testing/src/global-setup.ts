/**
 * Jest global setup of the integration project. Provides the shared
 * infrastructure every suite isolates itself in:
 * - native mode: checks the local Postgres and Redis (a clear error names a
 *   missing server), drops databases of crashed runs, and starts one Kafka
 *   dev broker unless KAFKA_BROKERS points at a real Kafka;
 * - containers mode (a Docker engine answers): Postgres, Redis and Kafka
 *   from testcontainers.
 * Addresses reach the test workers through environment variables.
 */
import { kafkaBrokers, postgresAdminUrl, redisUrl } from '@shop/config';
import { checkRedis, ensureDatabases } from '@shop/local-infra';
import { startKafkaDevBroker, type KafkaDevBroker } from '@shop/kafka-dev';
import { detectInfraMode } from './docker';
import { startContainers, type RunningContainers } from './containers';
import { dropStaleTestDatabases } from './test-database';
import { KAFKA_DEV_CONTROL_ENV } from './test-kafka';

interface SharedInfra {
  broker?: KafkaDevBroker;
  containers?: RunningContainers;
}
const globalKey = '__shopSharedInfra';

export default async function globalSetup(): Promise<void> {
  const shared: SharedInfra = {};
  (globalThis as Record<string, unknown>)[globalKey] = shared;

  if ((await detectInfraMode()) === 'containers') {
    shared.containers = await startContainers();
    Object.assign(process.env, shared.containers.env);
    return;
  }

  await ensureDatabases(postgresAdminUrl(), []); // reachability, with a how-to-start message
  await checkRedis(redisUrl());
  await dropStaleTestDatabases();
  if (!kafkaBrokers()) {
    shared.broker = await startKafkaDevBroker();
    process.env.KAFKA_BROKERS = shared.broker.bootstrapServers.join(',');
    process.env[KAFKA_DEV_CONTROL_ENV] = shared.broker.controlAddress;
  }
}

export async function globalTeardown(): Promise<void> {
  const shared = (globalThis as Record<string, unknown>)[globalKey] as SharedInfra | undefined;
  await shared?.broker?.stop();
  await shared?.containers?.stop();
}
