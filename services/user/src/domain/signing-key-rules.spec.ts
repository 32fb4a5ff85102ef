import { currentKey, keysToPublish } from './signing-key-rules';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute));
const ttlMs = 15 * 60_000;
const skewMs = 60_000;

describe('signing key rules', () => {
  const k1 = { kid: 'k1', createdAt: at(0), retiredAt: at(10) };
  const k2 = { kid: 'k2', createdAt: at(10), retiredAt: at(20) };
  const k3 = { kid: 'k3', createdAt: at(20), retiredAt: null };

  it('signs with the newest key not retired', () => {
    expect(currentKey([k1, k2, k3])?.kid).toBe('k3');
    expect(currentKey([k1])).toBeUndefined();
  });

  it('publishes retired keys until their last token (ttl + skew) has expired, newest first', () => {
    expect(keysToPublish([k1, k2, k3], at(21), ttlMs, skewMs).map((k) => k.kid)).toEqual(['k3', 'k2', 'k1']);
    // k1 retired at :10, its last token expires at :25, plus 1 min skew
    expect(keysToPublish([k1, k2, k3], at(26), ttlMs, skewMs).map((k) => k.kid)).toEqual(['k3', 'k2']);
    expect(keysToPublish([k1, k2, k3], at(40), ttlMs, skewMs).map((k) => k.kid)).toEqual(['k3']);
  });
});
