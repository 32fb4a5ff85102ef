import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL, serviceDefinition, withDatabase } from '@shop/config';
import { ALL_TOPICS } from '@shop/contracts';
import { startKafkaDevBroker, type KafkaDevBroker } from '@shop/kafka-dev';
import { checkRedis, ensureDatabases } from '../provision';
import { freePort } from './free-port';
import type { LocalSecrets } from './local-secrets';
import { ServiceInstance, type LogListener } from './service-instance';
import { planStack, type PlannedInstance, type StackPlanOptions, type StackService } from './stack-plan';

export interface StackOptions extends StackPlanOptions {
  secrets: LocalSecrets;
  /** Use these brokers; without them a Kafka dev broker is started (and stopped with the stack). */
  kafkaBrokers?: readonly string[];
  /** Postgres server (any database; each service gets its own on it). */
  postgresUrl?: string;
  /** Database name per service; default shop_<service> (the suites use names of their own). */
  databaseName?: (service: StackService) => string;
  redisUrl?: string;
  /** Prepended to every service's Redis key prefix, so several stacks can share one Redis. */
  redisKeyPrefix?: string;
  logLevel?: string;
  /** Extra variables: for every instance (`all`) and per service. */
  env?: Partial<Record<StackService | 'all', Record<string, string>>>;
  /** Each instance's raw log goes to `<logDir>/<instance>.log`. */
  logDir?: string;
  onLog?: LogListener;
  /**
   * Run the broker and the instances in process groups of their own (npm
   * start): Ctrl-C then reaches only the launcher, which stops the gateway,
   * the services (each drains) and the broker last, in that order.
   */
  detached?: boolean;
}

/**
 * A running shop: Kafka (dev broker or given), a database per service,
 * every service instance as its own process, the gateway last. `npm start`,
 * the e2e suite and the chaos tests all start the shop through this, and
 * stop, kill and add instances through the returned handle.
 */
export class Stack {
  private constructor(
    private readonly options: StackOptions,
    readonly kafkaBrokers: readonly string[],
    readonly broker: KafkaDevBroker | undefined,
    readonly instances: ServiceInstance[],
  ) {}

  private readonly logFiles = new Map<string, WriteStream>();

  static async start(options: StackOptions): Promise<Stack> {
    const postgresUrl = options.postgresUrl ?? DEFAULT_POSTGRES_URL;
    const plan = planStack(options);
    const services = [...new Set(plan.map((instance) => instance.service))];
    await checkRedis(options.redisUrl ?? DEFAULT_REDIS_URL);
    await ensureDatabases(
      postgresUrl,
      services.filter((s) => serviceDefinition(s).database).map((s) => databaseNameOf(options, s)),
    );
    const broker = options.kafkaBrokers
      ? undefined
      : await startKafkaDevBroker({ topics: ALL_TOPICS, detached: options.detached });
    const stack = new Stack(options, options.kafkaBrokers ?? broker!.bootstrapServers, broker, []);
    try {
      for (const wave of startWaves(plan)) await Promise.all(wave.map((planned) => stack.launch(planned)));
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  instancesOf(service: StackService): ServiceInstance[] {
    return this.instances.filter((instance) => instance.service === service);
  }

  instance(name: string): ServiceInstance {
    const found = this.instances.find((instance) => instance.name === name);
    if (!found)
      throw new Error(`No instance '${name}' (have ${this.instances.map((i) => i.name).join(', ')})`);
    return found;
  }

  secret(name: keyof LocalSecrets): string {
    return this.options.secrets[name];
  }

  /** Base URL of the first running instance of `service`. */
  urlOf(service: StackService): string {
    const running = this.instancesOf(service).find((instance) => instance.running);
    if (!running) throw new Error(`No running instance of ${service}`);
    return running.url;
  }

  /** Starts one more instance of `service` (next ordinal, a free port unless the stack uses default ports). */
  async addInstance(service: StackService): Promise<ServiceInstance> {
    const ordinal = this.instancesOf(service).length + 1;
    const planned = planStack({
      services: [service],
      instances: { [service]: ordinal },
      ports: this.options.ports,
    });
    return this.launch(planned[ordinal - 1]!);
  }

  /** The environment an instance of `service` runs with (also what the e2e tools use to talk to it). */
  environmentOf(service: StackService, instanceName: string): Record<string, string> {
    const { options } = this;
    const env: Record<string, string> = {
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel ?? 'info',
      KAFKA_BROKERS: this.kafkaBrokers.join(','),
      REDIS_URL: options.redisUrl ?? DEFAULT_REDIS_URL,
      IDENTITY_HMAC_SECRET: options.secrets.IDENTITY_HMAC_SECRET,
      SERVICE_INSTANCE_ID: instanceName,
      OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=${instanceName}`,
    };
    if (options.redisKeyPrefix) {
      env.REDIS_KEY_PREFIX = `${options.redisKeyPrefix}${service}:`;
      env.DISCOVERY_KEY_PREFIX = options.redisKeyPrefix; // the registry the instances and the gateway share
    }
    if (service === 'gateway') {
      env.DISCOVERY_LOCAL_FALLBACK = 'false'; // only registered instances: never guess a default port
      const user = this.instancesOf('user').find((instance) => instance.running);
      if (user) env.JWKS_URL = `${user.url}/.well-known/jwks.json`;
    }
    if (serviceDefinition(service).database)
      env[`${service.toUpperCase()}_DATABASE_URL`] = withDatabase(
        options.postgresUrl ?? DEFAULT_POSTGRES_URL,
        databaseNameOf(options, service),
      );
    if (service === 'user') {
      env.KEY_ENCRYPTION_SECRET = options.secrets.KEY_ENCRYPTION_SECRET;
      env.LOGIN_TRUST_FORWARDED_FOR = 'true'; // behind the gateway: throttle by the client's address, not the gateway's
    }
    return { ...env, ...options.env?.all, ...options.env?.[service] };
  }

  /** Stops the gateway first, then the services (last started first), then the dev broker. */
  async stop(): Promise<void> {
    for (const instance of [...this.instances].reverse()) await instance.stop().catch(() => instance.kill());
    await this.broker?.stop();
    for (const file of this.logFiles.values()) file.end();
  }

  private async launch(planned: PlannedInstance): Promise<ServiceInstance> {
    const port = planned.port || (await freePort());
    const instance = new ServiceInstance({
      name: planned.name,
      service: planned.service,
      port,
      env: this.environmentOf(planned.service, planned.name),
      onLog: this.logListener(),
      detached: this.options.detached,
    });
    this.instances.push(instance);
    await instance.start();
    return instance;
  }

  private logListener(): LogListener | undefined {
    const { logDir, onLog } = this.options;
    if (logDir) mkdirSync(logDir, { recursive: true });
    if (!logDir) return onLog;
    return (instance, line, stream) => {
      let file = this.logFiles.get(instance);
      if (!file)
        this.logFiles.set(
          instance,
          (file = createWriteStream(join(logDir, `${instance}.log`), { flags: 'a' })),
        );
      file.write(`${line}\n`);
      onLog?.(instance, line, stream);
    };
  }
}

/**
 * The order instances start in: the n-th instance of every service together
 * (services are independent), one wave after the other, the gateway alone
 * at the end once its upstreams answer. Two members of one consumer group
 * never join at the same moment: on the dev broker that can fail the join
 * for good (kafkajs then crashes the member; see KafkaMessageConsumer).
 */
export function startWaves(plan: readonly PlannedInstance[]): PlannedInstance[][] {
  const services = plan.filter((planned) => planned.service !== 'gateway');
  const waves: PlannedInstance[][] = [];
  for (const planned of services) (waves[planned.ordinal - 1] ??= []).push(planned);
  const gateways = plan.filter((planned) => planned.service === 'gateway');
  return [...waves.filter(Boolean), ...gateways.map((gateway) => [gateway])];
}

function databaseNameOf(options: StackOptions, service: StackService): string {
  return options.databaseName?.(service) ?? serviceDefinition(service).database!;
}
