import {
  DEFAULT_POSTGRES_URL,
  DEFAULT_REDIS_URL,
  serviceDatabaseUrl,
  serviceDefinition,
  type ServiceName,
} from '@shop/config';
import { z } from 'zod';
import { MIN_IDENTITY_SECRET_LENGTH } from '../identity/identity-signature';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Read by the OpenTelemetry SDK itself (see @shop/telemetry): passed through, not validated here. */
export const PASSTHROUGH_ENV_PREFIXES = ['OTEL_'] as const;

export function isPassthroughVariable(name: string): boolean {
  return PASSTHROUGH_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

const HOST_PORT = /^[^\s:,]+:\d{1,5}$/;

/** `KAFKA_BROKERS=host:9092,host2:9092` -> ['host:9092', 'host2:9092'] */
const brokerList = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(HOST_PORT, 'must be host:port')).min(1, 'must list host:port entries'));

/**
 * The variables every service reads. Defaults suit the native local stack;
 * KAFKA_BROKERS (the dev broker's port is not fixed) and
 * IDENTITY_HMAC_SECRET (no secret may have a default) must be set.
 */
export function commonServiceEnv(service: ServiceName) {
  return z.object({
    PORT: z.coerce.number().int().min(0).max(65535).default(serviceDefinition(service).httpPort),
    HOST: z.string().min(1).default('0.0.0.0'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    REDIS_URL: z.url().default(DEFAULT_REDIS_URL),
    KAFKA_BROKERS: brokerList,
    IDENTITY_HMAC_SECRET: z
      .string()
      .min(MIN_IDENTITY_SECRET_LENGTH, `must be at least ${MIN_IDENTITY_SECRET_LENGTH} characters`),
    /** Chaos switch for the saga suites: the outbox relay publishes every message twice. Never in production. */
    CHAOS_DUPLICATE_DELIVERY: z.stringbool().default(false),
    ...messagingTuningEnv(),
    ...discoveryRegistrationEnv(),
  });
}

/**
 * Kafka consumer and outbox relay tuning: the same names in every service
 * that uses Kafka; `consumerTuningOf(config)` gives a consumer group's settings.
 */
function messagingTuningEnv() {
  const ms = (min: number) => z.coerce.number().int().min(min);
  return {
    /** Longest a consumer fetch waits for data (the dev broker answers only when it expires). */
    KAFKA_CONSUMER_MAX_WAIT_MS: ms(10).max(5_000).default(250),
    /** A member that stops heartbeating loses its partitions after this long. */
    KAFKA_SESSION_TIMEOUT_MS: ms(1_000).default(10_000),
    KAFKA_HEARTBEAT_INTERVAL_MS: ms(100).default(1_000),
    /** How often the outbox relay looks for unpublished messages. */
    OUTBOX_POLL_INTERVAL_MS: ms(10).default(250),
  };
}

export interface ConsumerTuning {
  maxWaitTimeInMs: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
}

/** The settings of a service's consumer groups (the MessagingModule `consumers` entries) from its config. */
export function consumerTuningOf(config: {
  KAFKA_CONSUMER_MAX_WAIT_MS: number;
  KAFKA_SESSION_TIMEOUT_MS: number;
  KAFKA_HEARTBEAT_INTERVAL_MS: number;
}): ConsumerTuning {
  return {
    maxWaitTimeInMs: config.KAFKA_CONSUMER_MAX_WAIT_MS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL_MS,
  };
}

/**
 * How an instance announces itself in the Redis registry the gateway watches
 * (runService does it after listen; see @shop/discovery). Compose and
 * Kubernetes address services by DNS and may turn it off.
 */
function discoveryRegistrationEnv() {
  return {
    DISCOVERY_REGISTER: z.stringbool().default(true),
    /** The registry's key namespace, shared with the gateway ('' by default). */
    DISCOVERY_KEY_PREFIX: z.string().default(''),
    /** Unique per process; `<hostname>-<pid>` by default (the pod name in Kubernetes). */
    SERVICE_INSTANCE_ID: z.string().min(1).optional(),
    /** How the gateway reaches this instance; `http://<HOST or hostname>:<PORT>` by default. */
    SERVICE_ADVERTISED_URL: z.url().optional(),
  };
}

export type DatabaseUrlVariable<S extends ServiceName> = `${Uppercase<S>}_DATABASE_URL`;

type DatabaseEnvShape<S extends ServiceName> = { POSTGRES_URL: z.ZodDefault<z.ZodURL> } & Record<
  DatabaseUrlVariable<S>,
  z.ZodOptional<z.ZodURL>
>;

/**
 * The database variables of a service that owns one, as @shop/config reads
 * them: `<SERVICE>_DATABASE_URL`, else POSTGRES_URL's server with the
 * service's database (see databaseUrlOf).
 */
export function databaseEnv<S extends ServiceName>(service: S): DatabaseEnvShape<S> {
  if (!serviceDefinition(service).database) throw new Error(`Service '${service}' owns no database`);
  return {
    POSTGRES_URL: z.url().default(DEFAULT_POSTGRES_URL),
    [databaseUrlVariable(service)]: z.url().optional(),
  } as DatabaseEnvShape<S>;
}

export function databaseUrlVariable<S extends ServiceName>(service: S): DatabaseUrlVariable<S> {
  return `${service.toUpperCase()}_DATABASE_URL` as DatabaseUrlVariable<S>;
}

/** The service's database URL from its loaded config (same rule as @shop/config's serviceDatabaseUrl). */
export function databaseUrlOf<S extends ServiceName>(
  service: S,
  config: { POSTGRES_URL: string } & Partial<Record<DatabaseUrlVariable<S>, string>>,
): string {
  const variable = databaseUrlVariable(service);
  return serviceDatabaseUrl(service, { POSTGRES_URL: config.POSTGRES_URL, [variable]: config[variable] });
}

/**
 * The environment schema each service starts from; a service extends its
 * entry with its own variables and exports the result (e.g.
 * `services/order/src/config.ts`), so compose and Kubernetes checks can
 * compare their env blocks with `envVariablesOf(schema)`.
 */
export const SERVICE_ENV_SCHEMAS = {
  // The gateway only proxies HTTP: no Kafka, no outbox.
  gateway: commonServiceEnv('gateway').omit({
    KAFKA_BROKERS: true,
    CHAOS_DUPLICATE_DELIVERY: true,
    KAFKA_CONSUMER_MAX_WAIT_MS: true,
    KAFKA_SESSION_TIMEOUT_MS: true,
    KAFKA_HEARTBEAT_INTERVAL_MS: true,
    OUTBOX_POLL_INTERVAL_MS: true,
    DISCOVERY_REGISTER: true,
    SERVICE_ADVERTISED_URL: true,
  }),
  user: commonServiceEnv('user').extend(databaseEnv('user')),
  catalog: commonServiceEnv('catalog').extend(databaseEnv('catalog')),
  order: commonServiceEnv('order').extend(databaseEnv('order')),
  inventory: commonServiceEnv('inventory').extend(databaseEnv('inventory')),
  payment: commonServiceEnv('payment').extend(databaseEnv('payment')),
  notification: commonServiceEnv('notification').extend(databaseEnv('notification')),
} satisfies Record<ServiceName, z.ZodObject>;
