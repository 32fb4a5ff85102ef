import { refreshDecision } from './refresh-token-rules';

const now = new Date('2026-11-21T10:00:00Z');
const later = new Date('2026-11-22T10:00:00Z');

describe('refresh token rotation rules', () => {
  it('rotates a live, unrevoked token', () => {
    expect(refreshDecision({ expiresAt: later, revokedAt: null }, now)).toBe('rotate');
  });
  it('treats a revoked token presented again as reuse', () => {
    expect(refreshDecision({ expiresAt: later, revokedAt: now }, now)).toBe('reused');
  });
  it('rejects an expired token and an unknown one', () => {
    expect(refreshDecision({ expiresAt: now, revokedAt: null }, now)).toBe('expired');
    expect(refreshDecision(undefined, now)).toBe('unknown');
  });
});
