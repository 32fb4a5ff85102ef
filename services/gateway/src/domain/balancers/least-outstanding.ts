import type { Balancer, Candidate } from './balancer';

/**
 * Least outstanding requests with the power of two choices (Mitzenmacher):
 * draw two different candidates at random, send to the one with fewer
 * requests in flight per unit of weight. Nearly as good as scanning for the
 * global minimum, but it never herds every gateway onto the same "least
 * loaded" instance, and it is O(1). A slow instance accumulates outstanding
 * requests and so receives fewer new ones.
 */
export class LeastOutstandingBalancer implements Balancer {
  readonly kind = 'least-outstanding';

  /** `random` returns [0, 1), like Math.random (injectable for tests). */
  constructor(private readonly random: () => number = Math.random) {}

  pick<C extends Candidate>(candidates: readonly C[]): C | undefined {
    if (candidates.length <= 1) return candidates[0];
    const n = candidates.length;
    const i = Math.floor(this.random() * n);
    let j = Math.floor(this.random() * (n - 1));
    if (j >= i) j += 1; // a second, different candidate
    const a = candidates[i] as C;
    const b = candidates[j] as C;
    return load(b) < load(a) ? b : a;
  }
}

function load(candidate: Candidate): number {
  return candidate.outstanding / candidate.weight;
}
