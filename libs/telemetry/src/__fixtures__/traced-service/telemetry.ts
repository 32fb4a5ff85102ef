// What a service's src/telemetry.ts looks like: the SDK starts here, before
// main.ts loads Nest, pg, ioredis or kafkajs. (A service imports '@shop/telemetry'.)
import { startTelemetry } from '../../index';

export const telemetry = startTelemetry({ serviceName: 'traced-fixture' });
