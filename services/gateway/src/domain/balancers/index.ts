import { BALANCER_KINDS, type Balancer, type BalancerKind } from './balancer';
import { LeastOutstandingBalancer } from './least-outstanding';
import { RoundRobinBalancer } from './round-robin';
import { SmoothWeightedBalancer } from './smooth-weighted-round-robin';

export * from './balancer';
export { LeastOutstandingBalancer, RoundRobinBalancer, SmoothWeightedBalancer };

export function createBalancer(kind: BalancerKind, random: () => number = Math.random): Balancer {
  switch (kind) {
    case 'round-robin':
      return new RoundRobinBalancer();
    case 'smooth-weighted':
      return new SmoothWeightedBalancer();
    case 'least-outstanding':
      return new LeastOutstandingBalancer(random);
  }
}

export function isBalancerKind(value: string): value is BalancerKind {
  return (BALANCER_KINDS as readonly string[]).includes(value);
}
