// Validates Kubernetes objects against the API schemas of Kubernetes 1.36
// (the OpenAPI definitions compiled into the `kubernetes-models` package, 5.x),
// offline. Plain Node (the package is ES modules only):
//   node tools/deploy/validate-k8s.mjs < objects.json    (a JSON array)
// Prints one JSON line {"errors": [...]}; exit 1 when any object is invalid.
//
// kubernetes-models also keeps models of APIs that newer releases removed, so
// every apiVersion/kind must also be in SERVED below: the APIs this repository
// uses, each checked as served by Kubernetes 1.36. Add to it only after
// checking the API reference of that release.
export const KUBERNETES_VERSION = '1.36';
const SERVED = new Set([
  'v1/Namespace',
  'v1/ConfigMap',
  'v1/Secret',
  'v1/Service',
  'v1/ServiceAccount',
  'v1/PersistentVolumeClaim',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy',
  'networking.k8s.io/v1/Ingress',
]);

async function modelOf(apiVersion, kind) {
  if (!/^[a-z0-9.]*\/?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind];
  } catch (err) {
    if (err?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || err?.code === 'ERR_MODULE_NOT_FOUND') {
      // a missing kind, or the package itself missing: tell them apart
      await import('kubernetes-models');
      return undefined;
    }
    throw err;
  }
}

export async function validateObjects(objects) {
  const errors = [];
  for (const [index, object] of objects.entries()) {
    const label = `${object?.kind ?? '?'} ${object?.metadata?.name ?? `#${index}`}`;
    const gvk = `${object?.apiVersion}/${object?.kind}`;
    if (!SERVED.has(gvk)) {
      errors.push(`${label}: ${gvk} is not an API checked as served by Kubernetes ${KUBERNETES_VERSION}`);
      continue;
    }
    const Model = await modelOf(object.apiVersion, object.kind);
    if (!Model) {
      errors.push(`${label}: no schema for ${gvk}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (err) {
      const details = Array.isArray(err?.errors)
        ? err.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')
        : String(err?.message ?? err);
      errors.push(`${label}: ${details}`);
    }
  }
  return errors;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const errors = await validateObjects(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  process.stdout.write(`${JSON.stringify({ kubernetes: KUBERNETES_VERSION, errors })}\n`);
  process.exit(errors.length ? 1 : 0);
}
