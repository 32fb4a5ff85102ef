/**
 * `npm run kafka:dev`: runs the dev broker in the foreground, prints its
 * bootstrap address and publishes it in .kafka-dev/broker.json. Type control
 * commands on stdin (e.g. `broker-down all`, `broker-up all`, `rtt 1 200`).
 */
import { startKafkaDevBroker } from './broker';
import { removeState, writeState } from './state-file';

async function main(): Promise<void> {
  const brokers = Number(process.env.KAFKA_DEV_BROKERS ?? 3);
  const controlPort = Number(process.env.KAFKA_DEV_CONTROL_PORT ?? 0);
  const broker = await startKafkaDevBroker({ brokers, controlPort, interactive: true });
  writeState({
    bootstrapServers: broker.bootstrapServers,
    controlAddress: broker.controlAddress,
    pid: broker.pid,
  });

  console.log(`Kafka dev broker: ${brokers} brokers`);
  console.log(`  KAFKA_BROKERS=${broker.bootstrapServers.join(',')}`);
  console.log(
    `  control: ${broker.controlAddress} (commands: broker-down|broker-up ID|all, rtt ID|all MS, ...)`,
  );
  console.log('Ctrl-C stops it.');

  const stop = async (): Promise<void> => {
    removeState();
    await broker.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
