/**
 * Which pods may talk to which under a set of NetworkPolicies, following the
 * Kubernetes semantics for one namespace: a pod selected by no policy of a
 * direction is open in that direction; a selected pod allows only what some
 * rule of a selecting policy allows; a connection needs the source's egress
 * AND the destination's ingress. Peers: podSelector (this namespace),
 * namespaceSelector (+podSelector: pods elsewhere, never this namespace's),
 * ipBlock (outside the cluster). Enough to prove the shop's isolation rules
 * from the rendered manifests, no cluster needed.
 */
import { podSpecOf, type K8sObject } from './kustomize';

export interface Pod {
  /** The workload's name (Deployment, StatefulSet, Job). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
}

/** A peer outside this namespace: another namespace's pod, or anything outside the cluster. */
export const OUTSIDE = 'outside';
type Endpoint = Pod | typeof OUTSIDE;

type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
type PolicyPeer = { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: unknown };
type PolicyPort = { port?: number | string; protocol?: string };
type Rule = { from?: PolicyPeer[]; to?: PolicyPeer[]; ports?: PolicyPort[] };
type PolicySpec = {
  podSelector: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
};

export function podsOf(objects: readonly K8sObject[]): Pod[] {
  return objects.flatMap((o) => {
    const spec = podSpecOf(o);
    if (!spec) return [];
    const template = (o.spec as { template: { metadata?: { labels?: Record<string, string> } } }).template;
    const ports = (spec.containers as { ports?: { containerPort: number }[] }[]).flatMap((c) =>
      (c.ports ?? []).map((p) => p.containerPort),
    );
    return [{ name: o.metadata.name, labels: template.metadata?.labels ?? {}, ports }];
  });
}

function matches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector?.matchExpressions?.length)
    throw new Error('matchExpressions are not supported by this checker');
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function peerMatches(peer: PolicyPeer, endpoint: Endpoint): boolean {
  if (peer.ipBlock || peer.namespaceSelector) return endpoint === OUTSIDE;
  return endpoint !== OUTSIDE && matches(peer.podSelector, endpoint.labels);
}

function portMatches(ports: PolicyPort[] | undefined, port: number): boolean {
  if (!ports?.length) return true;
  return ports.some((p) => {
    if (typeof p.port === 'string')
      throw new Error('named ports in policies are not supported by this checker');
    return (p.protocol ?? 'TCP') === 'TCP' && (p.port === undefined || p.port === port);
  });
}

export class NetworkPolicies {
  private readonly policies: PolicySpec[];

  constructor(objects: readonly K8sObject[]) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.spec as PolicySpec);
  }

  private allows(direction: 'Ingress' | 'Egress', subject: Pod, peer: Endpoint, port: number): boolean {
    const selecting = this.policies.filter(
      (p) => matches(p.podSelector, subject.labels) && typesOf(p).includes(direction),
    );
    if (selecting.length === 0) return true;
    return selecting.some((policy) =>
      ((direction === 'Ingress' ? policy.ingress : policy.egress) ?? []).some((rule) => {
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        return (!peers?.length || peers.some((p) => peerMatches(p, peer))) && portMatches(rule.ports, port);
      }),
    );
  }

  /** Whether `from` may open a TCP connection to `to` on `port`. */
  allowed(from: Endpoint, to: Endpoint, port: number): boolean {
    const egress = from === OUTSIDE || this.allows('Egress', from, to, port);
    const ingress = to === OUTSIDE || this.allows('Ingress', to, from, port);
    return egress && ingress;
  }

  /** The pods (by name) `from` may reach on any of their container ports. */
  reachableFrom(from: Endpoint, pods: readonly Pod[]): string[] {
    return pods
      .filter((to) => to !== from && to.ports.some((port) => this.allowed(from, to, port)))
      .map((to) => to.name)
      .sort();
  }
}

function typesOf(policy: PolicySpec): string[] {
  // The API's default: Ingress always, Egress when the policy has egress rules.
  return policy.policyTypes ?? (policy.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}
