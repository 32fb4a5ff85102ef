import { DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL, SERVICE_NAMES, serviceDefinition } from '@shop/config';
import { z } from 'zod';
import { envVariablesOf, loadServiceConfig, ServiceConfigError } from './load-service-config';
import { consumerTuningOf, databaseUrlOf, isPassthroughVariable, SERVICE_ENV_SCHEMAS } from './service-env';

const SECRET = 'k'.repeat(40);
const minimal = { KAFKA_BROKERS: 'kafka-1:9092', IDENTITY_HMAC_SECRET: SECRET };

function problemsOf(run: () => unknown): ServiceConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ServiceConfigError) return err;
    throw err;
  }
  throw new Error('expected a ServiceConfigError');
}

describe('loadServiceConfig', () => {
  it('applies the defaults of the local stack to what is not set', () => {
    expect(loadServiceConfig(SERVICE_ENV_SCHEMAS.order, minimal)).toEqual({
      PORT: serviceDefinition('order').httpPort,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      REDIS_URL: DEFAULT_REDIS_URL,
      KAFKA_BROKERS: ['kafka-1:9092'],
      IDENTITY_HMAC_SECRET: SECRET,
      CHAOS_DUPLICATE_DELIVERY: false,
      KAFKA_CONSUMER_MAX_WAIT_MS: 250,
      KAFKA_SESSION_TIMEOUT_MS: 10_000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 1_000,
      OUTBOX_POLL_INTERVAL_MS: 250,
      DISCOVERY_REGISTER: true,
      DISCOVERY_KEY_PREFIX: '',
      POSTGRES_URL: DEFAULT_POSTGRES_URL,
    });
  });

  it('converts what is set: numbers, broker lists; unknown variables are left out', () => {
    const config = loadServiceConfig(SERVICE_ENV_SCHEMAS.catalog, {
      ...minimal,
      PORT: '9000',
      KAFKA_BROKERS: ' a:9092, b:9093 ,',
      LOG_LEVEL: 'debug',
      HOME: '/root',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
    });
    expect(config).toMatchObject({ PORT: 9000, KAFKA_BROKERS: ['a:9092', 'b:9093'], LOG_LEVEL: 'debug' });
    expect(config).not.toHaveProperty('HOME');
    expect(config).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it('lists every missing or invalid variable in one error', () => {
    const error = problemsOf(() =>
      loadServiceConfig(SERVICE_ENV_SCHEMAS.payment, {
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'not a url',
        IDENTITY_HMAC_SECRET: 'short-secret-value',
      }),
    );
    expect(error.problems.map((p) => p.variable)).toEqual([
      'PORT',
      'LOG_LEVEL',
      'REDIS_URL',
      'KAFKA_BROKERS',
      'IDENTITY_HMAC_SECRET',
    ]);
    expect(error.problems).toContainEqual({ variable: 'KAFKA_BROKERS', message: 'is not set' });
    expect(error.problems).toContainEqual({
      variable: 'IDENTITY_HMAC_SECRET',
      message: 'must be at least 32 characters',
    });
    expect(error.message).toMatch(/^Invalid service configuration \(5 problems\):\n {2}PORT: /);
    expect(error.message).not.toContain('short-secret-value'); // values never reach logs
  });

  it('counts an empty variable as not set', () => {
    expect(loadServiceConfig(SERVICE_ENV_SCHEMAS.user, { ...minimal, PORT: '' }).PORT).toBe(
      serviceDefinition('user').httpPort,
    );
    expect(
      problemsOf(() => loadServiceConfig(SERVICE_ENV_SCHEMAS.user, { ...minimal, KAFKA_BROKERS: '' }))
        .problems,
    ).toEqual([{ variable: 'KAFKA_BROKERS', message: 'is not set' }]);
  });

  it('rejects broker lists that are not host:port', () => {
    const error = problemsOf(() =>
      loadServiceConfig(SERVICE_ENV_SCHEMAS.order, { ...minimal, KAFKA_BROKERS: 'kafka' }),
    );
    expect(error.problems).toEqual([{ variable: 'KAFKA_BROKERS', message: 'must be host:port' }]);
  });

  it("takes a service's own variables added with extend", () => {
    const orderEnv = SERVICE_ENV_SCHEMAS.order.extend({
      PAYMENT_TIMEOUT_MS: z.coerce.number().int().default(2000),
    });
    expect(loadServiceConfig(orderEnv, { ...minimal, PAYMENT_TIMEOUT_MS: '500' }).PAYMENT_TIMEOUT_MS).toBe(
      500,
    );
    expect(loadServiceConfig(orderEnv, minimal).PAYMENT_TIMEOUT_MS).toBe(2000);
  });
});

describe('service env schemas', () => {
  it('has one for every service of the catalog', () => {
    expect(Object.keys(SERVICE_ENV_SCHEMAS).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it('lists the variables a deployment must or may set', () => {
    expect(envVariablesOf(SERVICE_ENV_SCHEMAS.order)).toEqual([
      { name: 'PORT', required: false },
      { name: 'HOST', required: false },
      { name: 'LOG_LEVEL', required: false },
      { name: 'REDIS_URL', required: false },
      { name: 'KAFKA_BROKERS', required: true },
      { name: 'IDENTITY_HMAC_SECRET', required: true },
      { name: 'CHAOS_DUPLICATE_DELIVERY', required: false },
      { name: 'KAFKA_CONSUMER_MAX_WAIT_MS', required: false },
      { name: 'KAFKA_SESSION_TIMEOUT_MS', required: false },
      { name: 'KAFKA_HEARTBEAT_INTERVAL_MS', required: false },
      { name: 'OUTBOX_POLL_INTERVAL_MS', required: false },
      { name: 'DISCOVERY_REGISTER', required: false },
      { name: 'DISCOVERY_KEY_PREFIX', required: false },
      { name: 'SERVICE_INSTANCE_ID', required: false },
      { name: 'SERVICE_ADVERTISED_URL', required: false },
      { name: 'POSTGRES_URL', required: false },
      { name: 'ORDER_DATABASE_URL', required: false },
    ]);
    const gateway = envVariablesOf(SERVICE_ENV_SCHEMAS.gateway).map((v) => v.name);
    expect(gateway).not.toContain('POSTGRES_URL');
    expect(gateway).not.toContain('KAFKA_BROKERS');
    expect(gateway).not.toContain('OUTBOX_POLL_INTERVAL_MS');
  });

  it('gives every consumer group the same tuning, from the same variable names in every service', () => {
    const env = { ...minimal, KAFKA_CONSUMER_MAX_WAIT_MS: '100', KAFKA_SESSION_TIMEOUT_MS: '6000' };
    for (const service of ['catalog', 'notification', 'payment'] as const) {
      expect(consumerTuningOf(loadServiceConfig(SERVICE_ENV_SCHEMAS[service], env))).toEqual({
        maxWaitTimeInMs: 100,
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 1_000,
      });
    }
  });

  it('resolves the database URL the way @shop/config does', () => {
    const base = loadServiceConfig(SERVICE_ENV_SCHEMAS.inventory, {
      ...minimal,
      POSTGRES_URL: 'postgresql://app@db:5432/postgres',
    });
    expect(databaseUrlOf('inventory', base)).toBe('postgresql://app@db:5432/shop_inventory');
    const explicit = loadServiceConfig(SERVICE_ENV_SCHEMAS.inventory, {
      ...minimal,
      INVENTORY_DATABASE_URL: 'postgresql://inv@inv-db:5432/stock',
    });
    expect(databaseUrlOf('inventory', explicit)).toBe('postgresql://inv@inv-db:5432/stock');
  });

  it('passes OTEL_* through to the SDK', () => {
    expect(isPassthroughVariable('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(true);
    expect(isPassthroughVariable('POSTGRES_URL')).toBe(false);
  });
});
