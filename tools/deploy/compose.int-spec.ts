import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseUrlVariable } from '@shop/service-kit';
import { gatewayUpstreams } from './k8s-resources';
import { checkServiceEnv, DEPLOYED_SERVICES, REPLICATED_SERVICES, REPO_ROOT } from './platform';
import {
  composeEnvironment,
  interpolate,
  lintComposeFile,
  readCompose,
  type ComposeService,
} from './validators';

const FILE = join(REPO_ROOT, 'docker-compose.yml');
const text = readFileSync(FILE, 'utf8');
const compose = readCompose(text);
const services = Object.entries(compose.services);

/** The compose services running the image of a platform service (`order-1`, `order-2` run shop/order). */
function instancesOf(name: string): [string, ComposeService][] {
  return services.filter(([, s]) => s.image?.startsWith(`shop/${name}:`));
}

const conditionOf = (service: ComposeService, dependency: string) =>
  Array.isArray(service.depends_on) ? 'service_started' : service.depends_on?.[dependency]?.condition;

const publishedPorts = (service: ComposeService) =>
  (service.ports ?? []).map((p) => (typeof p === 'string' ? interpolate(p) : `${p.published}:${p.target}`));

describe('docker-compose.yml', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(REPO_ROOT, '.shop', 'compose-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is valid against the Compose specification schema and dclint rules', () => {
    expect(lintComposeFile(FILE)).toEqual([]);
  });

  it('is refused by the validator once broken', () => {
    const broken = join(scratch, 'docker-compose.yml');
    writeFileSync(
      broken,
      text.replace(/condition: service_completed_successfully/, 'condition: service_done'),
    );
    expect(lintComposeFile(broken)).toEqual([expect.stringMatching(/^invalid-schema/)]);
    writeFileSync(broken, text.replace("'127.0.0.1:8080:8080'", "'8080:8080'"));
    expect(lintComposeFile(broken)).toEqual([expect.stringMatching(/^no-unbound-port-interfaces/)]);
  });

  describe.each(DEPLOYED_SERVICES.map((s) => [s.name, s] as const))('%s', (name, service) => {
    const instances = instancesOf(name);

    it('runs (twice for the saga services), built from the one Dockerfile', () => {
      const count = instances.reduce((n, [, s]) => n + (s.deploy?.replicas ?? 1), 0);
      expect(count).toBeGreaterThanOrEqual(REPLICATED_SERVICES.includes(name) ? 2 : 1);
      const builds = instances.map(([, s]) => s.build).filter(Boolean);
      expect(builds).toEqual([
        { context: '.', dockerfile: 'infra/docker/Dockerfile', args: { SERVICE: name } },
      ]);
    });

    it('gets exactly the variables its env schema asks for, with valid values and the catalog port', () => {
      for (const [, instance] of instances) {
        const env = composeEnvironment(instance);
        expect(checkServiceEnv(name, env)).toEqual([]);
        expect(env.PORT).toBe(String(service.httpPort));
        expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
        if (service.database) {
          const url = new URL(env[databaseUrlVariable(name)]!);
          expect([url.hostname, url.pathname]).toEqual(['postgres', `/${service.database}`]);
        }
      }
    });

    it('starts once databases, topics and Redis are ready, and reports ready through its health check', () => {
      for (const [, instance] of instances) {
        expect(conditionOf(instance, 'db-init')).toBe('service_completed_successfully');
        expect(conditionOf(instance, 'kafka-init')).toBe('service_completed_successfully');
        expect(conditionOf(instance, 'redis')).toBe('service_healthy');
        expect(instance.healthcheck?.test).toEqual(['CMD', 'node', '/app/container.mjs', 'health', 'ready']);
      }
    });
  });

  it('publishes only the gateway (on its catalog port), the Jaeger UI and a host listener of Kafka, on loopback', () => {
    const published = Object.fromEntries(
      services.filter(([, s]) => s.ports?.length).map(([n, s]) => [n, publishedPorts(s)]),
    );
    expect(published).toEqual({
      gateway: ['127.0.0.1:8080:8080'],
      jaeger: ['127.0.0.1:16686:16686'],
      kafka: ['127.0.0.1:9094:9094'],
    });
    expect(DEPLOYED_SERVICES.find((s) => s.name === 'gateway')!.httpPort).toBe(8080);
  });

  it('starts the gateway after every instance is healthy and names each instance in its upstreams', () => {
    const [[, gateway]] = instancesOf('gateway') as [[string, ComposeService]];
    const env = composeEnvironment(gateway);
    for (const upstream of gatewayUpstreams(DEPLOYED_SERVICES)) {
      const names = instancesOf(upstream.name).map(([n]) => n);
      for (const n of names) expect(conditionOf(gateway, n)).toBe('service_healthy');
      expect(env[`${upstream.name.toUpperCase()}_URLS`]).toBe(
        names.map((n) => `http://${n}:${upstream.httpPort}`).join('|'),
      );
    }
  });

  it('runs Postgres with prepared transactions, Redis with an append-only file, Kafka in KRaft mode', () => {
    expect(compose.services.postgres!.command).toEqual(
      expect.arrayContaining(['max_prepared_transactions=100']),
    );
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    const kafka = compose.services.kafka!;
    expect(kafka.image).toMatch(/^apache\/kafka:\d/);
    expect(composeEnvironment(kafka)).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    });
    expect(compose.services.jaeger!.image).toMatch(/^jaegertracing\/jaeger:2\./);
  });

  it('creates topics and databases with the generated scripts', () => {
    expect(compose.services['kafka-init']!.volumes).toEqual([
      './infra/docker/kafka/create-topics.sh:/init/create-topics.sh:ro',
    ]);
    expect(compose.services['kafka-init']!.entrypoint).toEqual(['/bin/bash', '/init/create-topics.sh']);
    expect(compose.services['db-init']!.volumes).toEqual([
      './infra/docker/postgres/create-databases.sql:/init/create-databases.sql:ro',
    ]);
  });

  it('has an optional load profile driving the gateway', () => {
    const load = compose.services.load!;
    expect(load.profiles).toEqual(['load']);
    expect(composeEnvironment(load).GATEWAY_URL).toBe('http://gateway:8080');
    expect(conditionOf(load, 'gateway')).toBe('service_healthy');
  });
});

describe('the env check', () => {
  it('flags a missing required variable, an unknown one, a wrong port and an invalid value', () => {
    const env = composeEnvironment(compose.services['order-1']!);
    expect(checkServiceEnv('order', env)).toEqual([]);
    const { IDENTITY_HMAC_SECRET: _secret, ...withoutSecret } = env;
    expect(
      checkServiceEnv('order', { ...withoutSecret, ORDER_DB_URL: 'x', PORT: '3004', REDIS_URL: 'nope' }),
    ).toEqual(
      expect.arrayContaining([
        { service: 'order', problem: 'IDENTITY_HMAC_SECRET is required but not set' },
        { service: 'order', problem: 'ORDER_DB_URL is not a variable of its schema' },
        { service: 'order', problem: 'PORT is 3004, the service catalog says 3003' },
        { service: 'order', problem: expect.stringMatching(/^REDIS_URL: /) },
      ]),
    );
  });
});

describe('compose interpolation', () => {
  it('takes the variable when set and the default otherwise', () => {
    expect(interpolate('a-${X:-dflt}-b', {})).toBe('a-dflt-b');
    expect(interpolate('a-${X:-dflt}-b', { X: 'set' })).toBe('a-set-b');
    expect(interpolate('${X:-dflt}', { X: '' })).toBe('dflt');
    expect(interpolate('${X-dflt}', { X: '' })).toBe('');
    expect(interpolate('$${X}', {})).toBe('${X}');
  });
});
