import type { Balancer, Candidate } from './balancer';

/**
 * nginx's smooth weighted round robin (ngx_http_upstream_get_peer): on each
 * pick every candidate's current weight grows by its weight, the largest
 * current weight wins and drops by the total. Weights 5:1:1 give
 * a a b a c a a, not a a a a a b c: the heavy instance's turns are spread
 * out instead of bunched. Over any `sum(weights)` consecutive picks of a
 * stable set, each candidate gets exactly its weight.
 *
 * Current weights are kept per id, so an instance leaving the eligible set
 * for a while (ejected, tried) resumes where it was.
 */
export class SmoothWeightedBalancer implements Balancer {
  readonly kind = 'smooth-weighted';
  private readonly current = new Map<string, number>();

  pick<C extends Candidate>(candidates: readonly C[]): C | undefined {
    let best: C | undefined;
    let bestWeight = -Infinity;
    let total = 0;
    for (const candidate of candidates) {
      const weight = (this.current.get(candidate.id) ?? 0) + candidate.weight;
      this.current.set(candidate.id, weight);
      total += candidate.weight;
      if (weight > bestWeight) {
        best = candidate;
        bestWeight = weight;
      }
    }
    if (best) this.current.set(best.id, bestWeight - total);
    this.forgetDeparted(candidates);
    return best;
  }

  /** Keeps the map bounded under instance churn. */
  private forgetDeparted(candidates: readonly Candidate[]): void {
    if (this.current.size <= candidates.length * 2 + 8) return;
    const present = new Set(candidates.map((c) => c.id));
    for (const id of this.current.keys()) if (!present.has(id)) this.current.delete(id);
  }
}
