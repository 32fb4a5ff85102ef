import { join } from 'node:path';

export const KAFKA_DEV_ROOT = join(__dirname, '..');
export const BROKER_BINARY = join(KAFKA_DEV_ROOT, 'bin', 'kafka-dev-broker');
export const BUILD_SCRIPT = join(KAFKA_DEV_ROOT, 'scripts', 'build.mjs');
/** Where a foreground dev broker (`npm run kafka:dev`) publishes its addresses. */
export const STATE_FILE = join(KAFKA_DEV_ROOT, '..', '..', '.kafka-dev', 'broker.json');
