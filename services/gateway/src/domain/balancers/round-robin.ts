import type { Balancer, Candidate } from './balancer';

/** Each candidate in turn, ignoring weights. */
export class RoundRobinBalancer implements Balancer {
  readonly kind = 'round-robin';
  private next = 0;

  pick<C extends Candidate>(candidates: readonly C[]): C | undefined {
    if (candidates.length === 0) return undefined;
    const chosen = candidates[this.next % candidates.length];
    this.next = (this.next + 1) % Number.MAX_SAFE_INTEGER;
    return chosen;
  }
}
