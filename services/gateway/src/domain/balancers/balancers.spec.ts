import {
  createBalancer,
  LeastOutstandingBalancer,
  RoundRobinBalancer,
  SmoothWeightedBalancer,
  type Candidate,
} from './index';

const candidate = (id: string, weight = 1, outstanding = 0): Candidate => ({ id, weight, outstanding });

function counts(picks: (Candidate | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pick of picks) if (pick) out[pick.id] = (out[pick.id] ?? 0) + 1;
  return out;
}

/** A deterministic [0, 1) sequence (mulberry32), so statistical tests never flake. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('round robin', () => {
  it('takes each candidate in turn, ignoring weights', () => {
    const balancer = new RoundRobinBalancer();
    const list = [candidate('a', 5), candidate('b'), candidate('c')];
    expect(Array.from({ length: 7 }, () => balancer.pick(list)?.id)).toEqual([
      'a',
      'b',
      'c',
      'a',
      'b',
      'c',
      'a',
    ]);
  });

  it('returns undefined for no candidates', () => {
    expect(new RoundRobinBalancer().pick([])).toBeUndefined();
  });
});

describe('smooth weighted round robin (nginx)', () => {
  it('spreads 5:1:1 as nginx does: a a b a c a a', () => {
    const balancer = new SmoothWeightedBalancer();
    const list = [candidate('a', 5), candidate('b', 1), candidate('c', 1)];
    expect(Array.from({ length: 7 }, () => balancer.pick(list)?.id).join(' ')).toBe('a a b a c a a');
    // and the cycle repeats
    expect(Array.from({ length: 7 }, () => balancer.pick(list)?.id).join(' ')).toBe('a a b a c a a');
  });

  it('splits 1,000 picks 3:1 within 5% (exactly, for a stable set)', () => {
    const balancer = new SmoothWeightedBalancer();
    const list = [candidate('heavy', 3), candidate('light', 1)];
    const split = counts(Array.from({ length: 1000 }, () => balancer.pick(list)));
    expect(split.heavy! / 1000).toBeCloseTo(0.75, 1);
    expect(Math.abs(split.heavy! - 750)).toBeLessThanOrEqual(50);
    expect(split).toEqual({ heavy: 750, light: 250 });
  });

  it('never sends two in a row to the light instance of 3:1, and interleaves', () => {
    const balancer = new SmoothWeightedBalancer();
    const list = [candidate('a', 3), candidate('b', 1)];
    expect(Array.from({ length: 8 }, () => balancer.pick(list)?.id).join('')).toBe('aaba' + 'aaba');
  });

  it('keeps serving the others while one is out, and takes it back', () => {
    const balancer = new SmoothWeightedBalancer();
    const a = candidate('a', 2);
    const b = candidate('b', 1);
    for (let i = 0; i < 5; i++) expect(balancer.pick([b])?.id).toBe('b');
    const split = counts(Array.from({ length: 300 }, () => balancer.pick([a, b])));
    expect(split).toEqual({ a: 200, b: 100 });
  });
});

describe('least outstanding with two random choices', () => {
  it('of the two drawn, picks the one with fewer requests in flight', () => {
    // random 0 -> first index 0; second draw 0 over the remaining -> index 1
    const balancer = new LeastOutstandingBalancer(() => 0);
    expect(balancer.pick([candidate('busy', 1, 5), candidate('idle', 1, 1)])?.id).toBe('idle');
    expect(balancer.pick([candidate('idle', 1, 0), candidate('busy', 1, 9)])?.id).toBe('idle');
  });

  it('always draws two different candidates', () => {
    const random = seeded(7);
    const balancer = new LeastOutstandingBalancer(random);
    // Only 'b' is idle: with two distinct draws among three, b wins whenever drawn (2/3 of the time).
    const list = [candidate('a', 1, 3), candidate('b', 1, 0), candidate('c', 1, 3)];
    const split = counts(Array.from({ length: 3000 }, () => balancer.pick(list)));
    expect(split.b! / 3000).toBeGreaterThan(0.6);
    expect(split.b! / 3000).toBeLessThan(0.73);
  });

  it('weighs outstanding requests by weight', () => {
    const balancer = new LeastOutstandingBalancer(() => 0);
    // 4 in flight on weight 4 is a lighter load than 2 on weight 1
    expect(balancer.pick([candidate('small', 1, 2), candidate('big', 4, 4)])?.id).toBe('big');
  });

  it('sends nearly everything to an instance that finishes while the other holds its requests', () => {
    const balancer = new LeastOutstandingBalancer(seeded(1));
    const fast = { id: 'fast', weight: 1, outstanding: 0 };
    const slow = { id: 'slow', weight: 1, outstanding: 0 };
    const picks: string[] = [];
    for (let i = 0; i < 200; i++) {
      const chosen = balancer.pick([fast, slow])!;
      picks.push(chosen.id);
      if (chosen === slow) slow.outstanding += 1; // never finishes during the test
    }
    const split = counts(picks.map((id) => ({ id, weight: 1, outstanding: 0 })));
    expect(split.slow).toBeLessThanOrEqual(2);
  });

  it('handles zero and one candidate', () => {
    const balancer = createBalancer('least-outstanding');
    expect(balancer.pick([])).toBeUndefined();
    expect(balancer.pick([candidate('only')])?.id).toBe('only');
  });
});
