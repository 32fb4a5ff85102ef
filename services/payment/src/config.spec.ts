import { loadServiceConfig, ServiceConfigError } from '@shop/service-kit';
import { paymentEnv } from './config';

const required = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  IDENTITY_HMAC_SECRET: 'payment-config-test-secret-0123456789',
};

describe('payment configuration', () => {
  it('has defaults that fit the saga: a provider timeout well inside its reply timeout, a breaker that needs volume', () => {
    const config = loadServiceConfig(paymentEnv, required);
    expect(config).toMatchObject({
      PORT: 3005,
      PAYMENT_COMMANDS_GROUP: 'payment',
      PROVIDER_FAILURE_RATE: 0,
      PROVIDER_LATENCY_MS: 0,
      PROVIDER_TIMEOUT_MS: 3_000,
      SAGA_REPLY_TIMEOUT_MS: 15_000,
      PROVIDER_BREAKER_VOLUME_THRESHOLD: 10,
      CHAOS_DUPLICATE_DELIVERY: false,
    });
  });

  it('refuses a provider timeout that two calls could not fit into the saga reply timeout', () => {
    expect(() => loadServiceConfig(paymentEnv, { ...required, PROVIDER_TIMEOUT_MS: '8000' })).toThrow(
      /PROVIDER_TIMEOUT_MS/,
    );
  });

  it('refuses a failure rate outside 0..1 and a volume threshold below 10', () => {
    let error: unknown;
    try {
      loadServiceConfig(paymentEnv, {
        ...required,
        PROVIDER_FAILURE_RATE: '1.5',
        PROVIDER_BREAKER_VOLUME_THRESHOLD: '1',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ServiceConfigError);
    expect(String(error)).toMatch(/PROVIDER_FAILURE_RATE/);
    expect(String(error)).toMatch(/PROVIDER_BREAKER_VOLUME_THRESHOLD/);
  });
});
