import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { databaseUrlVariable } from '@shop/service-kit';
import { parseAllDocuments } from 'yaml';
import { gatewayUpstreams, migrateName, postgresName } from './k8s-resources';
import { idOf, kustomize, podSpecOf, type Json, type K8sObject } from './kustomize';
import { NetworkPolicies, OUTSIDE, podsOf } from './network-policy';
import { checkServiceEnv, DEPLOYED_SERVICES, REPLICATED_SERVICES, REPO_ROOT } from './platform';
import { validateK8sObjects } from './validators';

const OVERLAY = join(REPO_ROOT, 'k8s', 'overlays', 'local');

function kubectlKustomize(dir: string): K8sObject[] | undefined {
  try {
    const out = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return parseAllDocuments(out).map((d) => d.toJSON() as K8sObject);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return found as K8sObject & {
    spec: Json;
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  };
};

/** The environment a container gets: envFrom ConfigMaps, plain values, ConfigMap and Secret keys. */
function containerEnv(objects: K8sObject[], container: Json): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (!from.configMapRef) throw new Error('only configMapRef envFrom is resolved here');
    Object.assign(env, find(objects, 'ConfigMap', from.configMapRef.name).data);
  }
  for (const entry of container.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef ?? entry.valueFrom?.configMapKeyRef;
    if (entry.value !== undefined) env[entry.name] = String(entry.value);
    else if (entry.valueFrom?.secretKeyRef) {
      const secret = find(objects, 'Secret', ref.name);
      const encoded: string | undefined = secret.data?.[ref.key];
      const value = secret.stringData?.[ref.key] ?? (encoded && Buffer.from(encoded, 'base64').toString());
      if (value === undefined) throw new Error(`Secret ${ref.name} has no key ${ref.key}`);
      env[entry.name] = value;
    } else if (entry.valueFrom?.configMapKeyRef) {
      env[entry.name] = find(objects, 'ConfigMap', ref.name).data![ref.key]!;
    }
  }
  return env;
}

describe('Kubernetes manifests (k8s/overlays/local)', () => {
  const objects = kustomize(OVERLAY);

  it('render the same objects as kubectl kustomize, where kubectl exists', () => {
    const reference = kubectlKustomize(OVERLAY);
    if (!reference) {
      console.warn('kubectl not found: the rendering is checked by tools/deploy/kustomize.ts alone');
      return;
    }
    expect(objects.map(idOf).sort()).toEqual(reference.map(idOf).sort());
    const byId = new Map(objects.map((o) => [idOf(o), o]));
    const different = reference.filter((o) => !isDeepStrictEqual(byId.get(idOf(o)), o)).map(idOf);
    expect(different).toEqual([]);
  });

  it('are valid against the Kubernetes API schemas of a named release', () => {
    const result = validateK8sObjects(objects);
    expect(result.kubernetes).toBe('1.36');
    expect(result.errors).toEqual([]);
  });

  it('are refused by the validator once broken', () => {
    const broken: Json[] = JSON.parse(JSON.stringify(objects));
    const deployment = broken.find((o) => o.kind === 'Deployment' && o.metadata.name === 'order');
    deployment.spec.replicas = 'two';
    delete deployment.spec.template.spec.containers[0].name;
    broken.find((o) => o.kind === 'NetworkPolicy').spec.policyTypes = ['Sideways'];
    broken.push({
      apiVersion: 'policy/v1beta1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'old' },
      spec: {},
    });
    const { errors } = validateK8sObjects(broken);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deployment order: .*\/spec\/replicas must be integer/),
        expect.stringMatching(
          /^Deployment order: .*must have required property 'name'|required property name/,
        ),
        expect.stringMatching(/^NetworkPolicy .*policyTypes\/0 must be equal to one of the allowed values/),
        expect.stringMatching(/^PodDisruptionBudget old: policy\/v1beta1\/PodDisruptionBudget is not an API/),
      ]),
    );
  });

  it('put everything in the shop namespace', () => {
    expect(find(objects, 'Namespace', 'shop')).toBeDefined();
    expect(
      objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'shop').map(idOf),
    ).toEqual([]);
  });

  describe.each(DEPLOYED_SERVICES.map((s) => [s.name, s] as const))('%s', (name, service) => {
    const deployment = find(objects, 'Deployment', name);
    const container = podSpecOf(deployment)!.containers[0];

    it('gets exactly the variables its env schema asks for, with valid values and the catalog port', () => {
      const env = containerEnv(objects, container);
      expect(checkServiceEnv(name, env)).toEqual([]);
      expect(env.PORT).toBe(String(service.httpPort));
    });

    it('listens, probes and is served on the catalog port', () => {
      expect(container.image).toBe(`shop/${name}:local`);
      expect(container.ports).toEqual([
        expect.objectContaining({ name: 'http', containerPort: service.httpPort }),
      ]);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
      const svc = find(objects, 'Service', name);
      expect(svc.spec.ports).toEqual([
        expect.objectContaining({ port: service.httpPort, targetPort: 'http' }),
      ]);
      expect(svc.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    });

    it('has resource requests and limits, runs as non-root with a read-only root', () => {
      expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    });

    it('scales with an HPA and is protected by a PodDisruptionBudget', () => {
      const hpa = find(objects, 'HorizontalPodAutoscaler', name);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(hpa.spec.minReplicas).toBe(deployment.spec.replicas);
      const pdb = find(objects, 'PodDisruptionBudget', name);
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      if (REPLICATED_SERVICES.includes(name)) expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    });

    if (service.database) {
      it('has its own database and a migration Job running its image', () => {
        const db = find(objects, 'StatefulSet', postgresName(name));
        const dbContainer = podSpecOf(db)!.containers[0];
        expect(dbContainer.args).toEqual(expect.arrayContaining(['max_prepared_transactions=100']));
        expect(containerEnv(objects, dbContainer).POSTGRES_DB).toBe(service.database);
        const job = find(objects, 'Job', migrateName(name));
        const migrate = podSpecOf(job)!.containers[0];
        expect(migrate.image).toBe(container.image);
        expect(migrate.args).toEqual(['migrate']);
        const url = containerEnv(objects, migrate)[databaseUrlVariable(name)];
        expect(url).toBe(containerEnv(objects, container)[databaseUrlVariable(name)]);
        expect(new URL(url!).pathname).toBe(`/${service.database}`);
        expect(new URL(url!).hostname).toBe(postgresName(name));
      });
    }
  });

  it('run the topic Job with the same generated script as compose', () => {
    const job = find(objects, 'Job', 'kafka-topics');
    const volume = podSpecOf(job)!.volumes[0];
    const script = find(objects, 'ConfigMap', volume.configMap.name).data!['create-topics.sh'];
    expect(script).toBe(readFileSync(join(REPO_ROOT, 'infra/docker/kafka/create-topics.sh'), 'utf8'));
    const kafka = podSpecOf(find(objects, 'StatefulSet', 'kafka'))!.containers[0];
    expect(kafka.image).toMatch(/^apache\/kafka:\d/);
    expect(containerEnv(objects, kafka).KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it('keep Redis persistent and send traces to Jaeger', () => {
    expect(podSpecOf(find(objects, 'StatefulSet', 'redis'))!.containers[0].args).toEqual(
      expect.arrayContaining(['--appendonly', 'yes']),
    );
    const jaeger = find(objects, 'Service', 'jaeger');
    expect(jaeger.spec.ports.map((p: { port: number }) => p.port)).toEqual(
      expect.arrayContaining([4318, 16686]),
    );
  });

  describe('network policies', () => {
    const policies = new NetworkPolicies(objects);
    const pods = podsOf(objects);
    const pod = (name: string) => pods.find((p) => p.name === name)!;
    const services = DEPLOYED_SERVICES.map((s) => s.name);

    it('let only the gateway be reached from outside the namespace', () => {
      const open = pods
        .filter((p) => p.ports.some((port) => policies.allowed(OUTSIDE, p, port)))
        .map((p) => p.name);
      expect(open).toEqual(['gateway']);
    });

    it.each(services)('let %s reach only its database, Redis, Kafka and the collector', (name) => {
      const service = DEPLOYED_SERVICES.find((s) => s.name === name)!;
      const expected = ['redis', 'jaeger'];
      if (name === 'gateway') expected.push(...gatewayUpstreams(DEPLOYED_SERVICES).map((s) => s.name));
      else expected.push('kafka');
      if (service.database) expected.push(postgresName(name));
      expect(policies.reachableFrom(pod(name), pods)).toEqual(expected.sort());
      expect(policies.allowed(pod(name), OUTSIDE, 53)).toBe(true); // DNS
      expect(policies.allowed(pod(name), OUTSIDE, 443)).toBe(false);
    });

    it("keep each database to its own service and that service's migration Job", () => {
      for (const service of DEPLOYED_SERVICES.filter((s) => s.database)) {
        const reachers = pods
          .filter((p) => p.name !== postgresName(service.name))
          .filter((p) => policies.allowed(p, pod(postgresName(service.name)), 5432))
          .map((p) => p.name);
        expect(reachers.sort()).toEqual([migrateName(service.name), service.name].sort());
      }
    });

    it('the checker itself: with the policies removed, every pod reaches every other', () => {
      const open = new NetworkPolicies(objects.filter((o) => o.kind !== 'NetworkPolicy'));
      expect(open.reachableFrom(pod('order'), pods)).toContain(postgresName('payment'));
      expect(open.allowed(OUTSIDE, pod('order'), 3003)).toBe(true);
    });
  });
});
