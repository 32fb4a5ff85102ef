/**
 * The per-service Kubernetes resources, built from the service catalog
 * (libs/config), the services' env schemas and the topic registry. Written
 * into k8s/base/generated and k8s/overlays/local by render.ts; hand-written
 * YAML next to them covers what exists once (Kafka, Redis, Jaeger, the
 * namespace-wide network policies).
 */
import type { ServiceDefinition, ServiceName } from '@shop/config';
import type { TopicDefinition } from '@shop/contracts';
import { databaseUrlVariable } from '@shop/service-kit';
import { envSchemaOf, REPLICATED_SERVICES } from './platform';

type Manifest = Record<string, unknown>;

export const NAMESPACE = 'shop';
export const IMAGE_TAG = '0.1.0';
export const POSTGRES_IMAGE = 'postgres:17-alpine';
export const KAFKA_IMAGE = 'apache/kafka:4.1.0';
export const KAFKA_BROKERS = 'kafka:9092';
export const REDIS_URL = 'redis://redis:6379';
export const OTLP_ENDPOINT = 'http://jaeger:4318';
/** The secret holding IDENTITY_HMAC_SECRET (every service) and KEY_ENCRYPTION_SECRET (user). */
export const PLATFORM_SECRET = 'shop-secrets';

export const PORTS = { postgres: 5432, redis: 6379, kafka: 9092, otlpHttp: 4318, otlpGrpc: 4317 } as const;

const PART_OF = { 'app.kubernetes.io/part-of': 'shop' };

function labels(name: string, component: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': component, ...PART_OF, ...extra };
}

export const postgresName = (service: string) => `postgres-${service}`;
export const migrateName = (service: string) => `migrate-${service}`;

/** The services the gateway routes to: those with a `<SERVICE>_URLS` variable in its env schema. */
export function gatewayUpstreams(all: readonly ServiceDefinition[]): ServiceDefinition[] {
  const variables = Object.keys(envSchemaOf('gateway').shape);
  return all.filter((s) => s.name !== 'gateway' && variables.includes(`${s.name.toUpperCase()}_URLS`));
}

/** Variables that are not secrets, per service: the ConfigMap `<service>-env`. */
export function serviceConfig(
  service: ServiceDefinition,
  all: readonly ServiceDefinition[],
): Record<string, string> {
  const env: Record<string, string> = {
    HOST: '0.0.0.0',
    PORT: String(service.httpPort),
    LOG_LEVEL: 'info',
    REDIS_URL,
    OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT,
  };
  if (service.name === 'gateway') {
    // Kubernetes Services balance the replicas; static discovery names them.
    Object.assign(env, {
      JWKS_URL: `http://user:${all.find((s) => s.name === 'user')!.httpPort}/.well-known/jwks.json`,
      DISCOVERY_REDIS: 'false',
      DISCOVERY_LOCAL_FALLBACK: 'false',
    });
    for (const upstream of gatewayUpstreams(all))
      env[`${upstream.name.toUpperCase()}_URLS`] = `http://${upstream.name}:${upstream.httpPort}`;
  } else {
    env.KAFKA_BROKERS = KAFKA_BROKERS;
  }
  if (service.name === 'user') env.LOGIN_TRUST_FORWARDED_FOR = 'true';
  return env;
}

/** Secret-backed variables of a service's container. */
function secretEnv(service: ServiceDefinition): Manifest[] {
  const fromSecret = (name: string, secret: string, key: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key } },
  });
  const env = [fromSecret('IDENTITY_HMAC_SECRET', PLATFORM_SECRET, 'IDENTITY_HMAC_SECRET')];
  if (service.name === 'user')
    env.push(fromSecret('KEY_ENCRYPTION_SECRET', PLATFORM_SECRET, 'KEY_ENCRYPTION_SECRET'));
  if (service.database)
    env.push(fromSecret(databaseUrlVariable(service.name), postgresName(service.name), 'DATABASE_URL'));
  return env;
}

const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function serviceReplicas(name: ServiceName): number {
  return name === 'gateway' || REPLICATED_SERVICES.includes(name) ? 2 : 1;
}

export function serviceResources(service: ServiceDefinition, all: readonly ServiceDefinition[]): Manifest[] {
  const name = service.name;
  const podLabels = labels(
    name,
    'service',
    service.name === 'gateway' ? {} : { 'shop.io/kafka-client': 'true' },
  );
  const selector = { 'app.kubernetes.io/name': name };
  const replicas = serviceReplicas(name);
  const probe = (path: string, extra: Manifest) => ({
    httpGet: { path, port: 'http' },
    timeoutSeconds: 2,
    ...extra,
  });
  const resources: Manifest[] = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-env`, labels: labels(name, 'service') },
      data: serviceConfig(service, all),
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: labels(name, 'service') },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels: podLabels },
          spec: {
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 30,
            securityContext: {
              runAsNonRoot: true,
              fsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name,
                image: `shop/${name}:${IMAGE_TAG}`,
                args: ['start'],
                ports: [{ name: 'http', containerPort: service.httpPort, protocol: 'TCP' }],
                envFrom: [{ configMapRef: { name: `${name}-env` } }],
                env: secretEnv(service),
                // Migrations run in the migrate Job first; start-up migration is then a no-op.
                startupProbe: probe('/health/live', { periodSeconds: 2, failureThreshold: 60 }),
                livenessProbe: probe('/health/live', { periodSeconds: 10, failureThreshold: 3 }),
                readinessProbe: probe('/health/ready', { periodSeconds: 5, failureThreshold: 2 }),
                resources: {
                  requests: { cpu: '100m', memory: '192Mi' },
                  limits: { cpu: '1', memory: '512Mi' },
                },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: labels(name, 'service') },
      spec: {
        selector,
        ports: [{ name: 'http', port: service.httpPort, targetPort: 'http', protocol: 'TCP' }],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, labels: labels(name, 'service') },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: replicas,
        maxReplicas: replicas * 3,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, labels: labels(name, 'service') },
      // maxUnavailable (not minAvailable): a one-replica service never blocks a node drain.
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    },
    serviceNetworkPolicy(service, all),
  ];
  if (service.database) resources.push(...databaseResources(service), migrateJob(service));
  return resources;
}

const peer = (name: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });
const tcp = (port: number) => ({ protocol: 'TCP', port });

/** Ingress: the gateway (or, for the gateway, anyone). Egress: its own database, Redis, Kafka, Jaeger (+ upstreams for the gateway). */
function serviceNetworkPolicy(service: ServiceDefinition, all: readonly ServiceDefinition[]): Manifest {
  const name = service.name;
  const egress: Manifest[] = [
    { to: [peer('redis')], ports: [tcp(PORTS.redis)] },
    { to: [peer('jaeger')], ports: [tcp(PORTS.otlpHttp)] },
  ];
  if (name === 'gateway') {
    for (const upstream of gatewayUpstreams(all))
      egress.push({ to: [peer(upstream.name)], ports: [tcp(upstream.httpPort)] });
  } else {
    egress.push({ to: [peer('kafka')], ports: [tcp(PORTS.kafka)] });
  }
  if (service.database) egress.push({ to: [peer(postgresName(name))], ports: [tcp(PORTS.postgres)] });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: labels(name, 'service') },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        name === 'gateway'
          ? { ports: [tcp(service.httpPort)] } // from anywhere: the shop's only entrance
          : { from: [peer('gateway')], ports: [tcp(service.httpPort)] },
      ],
      egress,
    },
  };
}

/** One Postgres per service in the demo cluster, so a NetworkPolicy can keep each service to its own database. */
function databaseResources(service: ServiceDefinition): Manifest[] {
  const name = postgresName(service.name);
  const selector = { 'app.kubernetes.io/name': name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, labels: labels(name, 'database') },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: labels(name, 'database') },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { fsGroup: 70, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'postgres',
                image: POSTGRES_IMAGE,
                // Prepared transactions for the two-phase-commit variant.
                args: ['-c', 'max_prepared_transactions=100'],
                ports: [{ name: 'postgres', containerPort: PORTS.postgres, protocol: 'TCP' }],
                env: [
                  { name: 'POSTGRES_USER', value: 'shop' },
                  { name: 'POSTGRES_DB', value: service.database },
                  { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
                  {
                    name: 'POSTGRES_PASSWORD',
                    valueFrom: { secretKeyRef: { name, key: 'POSTGRES_PASSWORD' } },
                  },
                ],
                readinessProbe: {
                  exec: { command: ['pg_isready', '-U', 'shop', '-d', service.database] },
                  periodSeconds: 5,
                  timeoutSeconds: 3,
                },
                livenessProbe: {
                  exec: { command: ['pg_isready', '-U', 'shop', '-d', service.database] },
                  periodSeconds: 20,
                  timeoutSeconds: 5,
                  failureThreshold: 6,
                },
                resources: {
                  requests: { cpu: '50m', memory: '128Mi' },
                  limits: { cpu: '500m', memory: '512Mi' },
                },
                securityContext: { allowPrivilegeEscalation: false, runAsUser: 70, runAsGroup: 70 },
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/postgresql/data' },
                  { name: 'run', mountPath: '/var/run/postgresql' },
                ],
              },
            ],
            volumes: [{ name: 'run', emptyDir: {} }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: labels(name, 'database') },
      spec: { selector, ports: [{ name: 'postgres', port: PORTS.postgres, targetPort: 'postgres' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, labels: labels(name, 'database') },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [peer(service.name), peer(migrateName(service.name))], ports: [tcp(PORTS.postgres)] },
        ],
        egress: [],
      },
    },
  ];
}

/**
 * Applies the service's migrations ahead of its Deployment. Deleted 10 min
 * after it finishes, so the next `kubectl apply -k` runs it again (a no-op
 * when nothing is pending) instead of failing on an immutable Job.
 */
function migrateJob(service: ServiceDefinition): Manifest {
  const name = migrateName(service.name);
  const secret = postgresName(service.name);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels: labels(name, 'migration') },
    spec: {
      backoffLimit: 10,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels: labels(name, 'migration') },
        spec: {
          restartPolicy: 'OnFailure',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'migrate',
              image: `shop/${service.name}:${IMAGE_TAG}`,
              args: ['migrate'],
              env: [
                {
                  name: databaseUrlVariable(service.name),
                  valueFrom: { secretKeyRef: { name: secret, key: 'DATABASE_URL' } },
                },
              ],
              resources: {
                requests: { cpu: '100m', memory: '192Mi' },
                limits: { cpu: '1', memory: '512Mi' },
              },
              securityContext: RESTRICTED_CONTAINER,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

export function migrateJobNetworkPolicies(services: readonly ServiceDefinition[]): Manifest[] {
  return services
    .filter((s) => s.database)
    .map((s) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: migrateName(s.name), labels: labels(migrateName(s.name), 'migration') },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': migrateName(s.name) } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [{ to: [peer(postgresName(s.name))], ports: [tcp(PORTS.postgres)] }],
      },
    }));
}

/** The topic Job's script as a ConfigMap (the same script compose runs). */
export function topicsConfigMap(script: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kafka-topics', labels: labels('kafka-topics', 'broker-init') },
    data: { 'create-topics.sh': script },
  };
}

/** Local-only secrets for the demo cluster (overlays/local): fixed, public values. */
export function localSecrets(services: readonly ServiceDefinition[]): Manifest[] {
  const secret = (name: string, stringData: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, labels: { ...PART_OF, 'shop.io/local-only': 'true' } },
    type: 'Opaque',
    stringData,
  });
  return [
    secret(PLATFORM_SECRET, {
      IDENTITY_HMAC_SECRET: 'local-only-identity-hmac-secret-not-for-production',
      KEY_ENCRYPTION_SECRET: 'local-only-key-encryption-secret-not-for-production',
    }),
    ...services
      .filter((s) => s.database)
      .map((s) => {
        const password = `local-only-${s.name}-db-password`;
        return secret(postgresName(s.name), {
          POSTGRES_PASSWORD: password,
          DATABASE_URL: `postgresql://shop:${password}@${postgresName(s.name)}:${PORTS.postgres}/${s.database}`,
        });
      }),
  ];
}

export function topicNames(topics: readonly TopicDefinition[]): string[] {
  return topics.map((t) => t.name);
}
