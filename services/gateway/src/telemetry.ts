import { startTelemetry } from '@shop/telemetry';

export const telemetry = startTelemetry({ serviceName: 'gateway' });
