/**
 * `npm start`: the whole shop on this machine, one command. Kafka dev broker
 * (or KAFKA_BROKERS), a database per service on the local Postgres, every
 * service as its own process (two instances of order, inventory and
 * payment), the gateway last; then a seeded catalog with stock. One
 * prefixed log stream here, each instance's full JSON log in .shop/logs/.
 * Ctrl-C stops everything, gateway first.
 */
import { join } from 'node:path';
import { kafkaBrokers, postgresAdminUrl, redisUrl } from '@shop/config';
import { InfrastructureUnavailableError } from '../provision';
import { loadOrCreateSecrets } from './local-secrets';
import { formatLogLine, isNotable } from './log-lines';
import { REPO_ROOT } from './service-instance';
import { seedShop } from './seed-shop';
import { Stack } from './start-stack';
import { printWelcome } from './welcome';

const STATE_DIR = join(REPO_ROOT, '.shop');

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const started = Date.now();
  console.log('Starting the shop (Kafka, databases, 10 service instances, gateway)...');
  const stack = await Stack.start({
    secrets: loadOrCreateSecrets(join(STATE_DIR, 'secrets.json')),
    kafkaBrokers: kafkaBrokers(),
    postgresUrl: postgresAdminUrl(),
    redisUrl: redisUrl(),
    logDir: join(STATE_DIR, 'logs'),
    detached: true,
    onLog: (instance, line) => {
      if (verbose || isNotable(line)) console.log(formatLogLine(instance, line));
    },
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the shop (gateway first, each service drains)...');
    stack.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await seedShop(stack, (line) => console.log(`[seed] ${line}`));
  printWelcome(stack, Date.now() - started);
}

main().catch((err: unknown) => {
  console.error(err instanceof InfrastructureUnavailableError ? `Cannot start: ${err.message}` : err);
  process.exit(1);
});
