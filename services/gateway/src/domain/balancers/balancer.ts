/** What a balancer sees of an instance: pure data, no sockets. */
export interface Candidate {
  readonly id: string;
  /** Share for weighted algorithms (>= 1). */
  readonly weight: number;
  /** Requests sent to it that have not finished (least-outstanding). */
  readonly outstanding: number;
}

/**
 * Picks one of the candidates the caller found eligible (healthy, not
 * ejected, breaker not open, not already tried by this request). Stateful
 * (positions, current weights) but free of I/O and clocks.
 */
export interface Balancer {
  readonly kind: BalancerKind;
  pick<C extends Candidate>(candidates: readonly C[]): C | undefined;
}

export const BALANCER_KINDS = ['round-robin', 'smooth-weighted', 'least-outstanding'] as const;
export type BalancerKind = (typeof BALANCER_KINDS)[number];
