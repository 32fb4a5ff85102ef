/**
 * A small, honest kustomize: renders a kustomization with exactly the
 * features this repository's k8s/ folders use (resources: files and
 * directories, namespace, images: newName/newTag, patches: JSON 6902 with a
 * kind/name target) and refuses any other field, so a kustomization that
 * needs more fails loudly instead of rendering wrong. Used by the validation
 * tests where no kustomize binary exists; where `kubectl` exists, the tests
 * check that it renders the same objects.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A field of a rendered manifest: untyped JSON, checked by the API schemas, not by TypeScript. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
};

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target: { kind?: string; name?: string }; patch: string }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
]);

export function readManifests(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      return doc.toJSON() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export function kustomize(dir: string): K8sObject[] {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((f) => join(dir, f))
    .find(existsSync);
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const k = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length)
    throw new Error(
      `${file}: unsupported fields ${unsupported.join(', ')} (extend tools/deploy/kustomize.ts)`,
    );

  let objects = (k.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? kustomize(path) : readManifests(path);
  });
  const ids = objects.map(idOf);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${file}: ${duplicate} is declared twice`);

  if (k.namespace)
    objects = objects.map((o) =>
      CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace: k.namespace } },
    );
  for (const image of k.images ?? []) objects.forEach((o) => retagImages(o, image));
  for (const { target, patch } of k.patches ?? []) {
    const matching = objects.filter(
      (o) => (!target.kind || o.kind === target.kind) && (!target.name || o.metadata.name === target.name),
    );
    if (!matching.length) throw new Error(`${file}: patch target ${JSON.stringify(target)} matches nothing`);
    const ops = parse(patch) as JsonPatchOp[];
    objects = objects.map((o) => (matching.includes(o) ? applyJsonPatch(o, ops) : o));
  }
  return objects;
}

export function idOf(o: K8sObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** The pod spec of a workload (Deployment, StatefulSet, Job), if it has one. */
export function podSpecOf(o: K8sObject): Json {
  const spec = o.spec as Json;
  return spec?.template?.spec;
}

function retagImages(o: K8sObject, image: { name: string; newName?: string; newTag?: string }): void {
  const pod = podSpecOf(o);
  for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
    const ref = String(container.image);
    const colon = ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref.lastIndexOf(':') : -1;
    const name = colon === -1 ? ref : ref.slice(0, colon);
    if (name !== image.name) continue;
    const tag = image.newTag ?? (colon === -1 ? undefined : ref.slice(colon + 1));
    container.image = `${image.newName ?? name}${tag ? `:${tag}` : ''}`;
  }
}

type JsonPatchOp = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

function applyJsonPatch<T>(target: T, ops: readonly JsonPatchOp[]): T {
  const copy: Json = JSON.parse(JSON.stringify(target)); // plain objects of this realm (Jest compares prototypes)
  for (const { op, path, value } of ops) {
    const keys = path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent = copy;
    for (const key of keys) {
      if (parent?.[key] === undefined) throw new Error(`patch path ${path} does not exist`);
      parent = parent[key];
    }
    if (op === 'remove') {
      if (!(last in parent)) throw new Error(`patch path ${path} does not exist`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op === 'replace') {
      if (!(last in parent)) throw new Error(`patch path ${path} does not exist`);
      parent[last] = value;
    } else if (op === 'add') {
      if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value);
      else parent[last] = value;
    } else {
      throw new Error(`unsupported patch op ${op as string}`);
    }
  }
  return copy;
}
