// What a service's src/telemetry.ts looks like: the SDK starts here, before
// main.ts loads Nest, pg, ioredis or kafkajs.
import { startTelemetry } from '@shop/telemetry';

export const telemetry = startTelemetry({ serviceName: 'catalog' });
