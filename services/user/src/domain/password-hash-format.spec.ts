import {
  DEFAULT_SCRYPT_PARAMS,
  formatPasswordHash,
  needsRehash,
  parsePasswordHash,
  scryptMemoryBytes,
} from './password-hash-format';

describe('password hash format', () => {
  const salt = Buffer.from('0123456789abcdef');
  const hash = Buffer.alloc(32, 7);

  it('writes the parameters with the salt and hash, and reads them back', () => {
    const stored = formatPasswordHash({ params: { logN: 15, r: 8, p: 3 }, salt, hash });
    expect(stored).toBe(`$scrypt$ln=15,r=8,p=3$${salt.toString('base64url')}$${hash.toString('base64url')}`);
    expect(parsePasswordHash(stored)).toEqual({ params: { logN: 15, r: 8, p: 3 }, salt, hash });
  });

  it.each([
    ['another algorithm', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'],
    ['missing hash', '$scrypt$ln=15,r=8,p=1$c2FsdA'],
    ['extra part', '$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA$x'],
    ['garbled parameters', '$scrypt$ln=15;r=8;p=1$c2FsdA$aGFzaA'],
    ['out-of-range parameters', '$scrypt$ln=0,r=8,p=1$c2FsdA$aGFzaA'],
    ['non-base64url salt', '$scrypt$ln=15,r=8,p=1$c2F+dA$aGFzaA'],
    ['plain text', 'hunter2'],
  ])('rejects %s', (_case, stored) => {
    expect(parsePasswordHash(stored)).toBeUndefined();
  });

  it('asks for a rehash only when any stored parameter is weaker than the current ones', () => {
    expect(needsRehash({ logN: 15, r: 8, p: 1 }, DEFAULT_SCRYPT_PARAMS)).toBe(true);
    expect(needsRehash({ logN: 14, r: 8, p: 3 }, DEFAULT_SCRYPT_PARAMS)).toBe(true);
    expect(needsRehash(DEFAULT_SCRYPT_PARAMS, DEFAULT_SCRYPT_PARAMS)).toBe(false);
    expect(needsRehash({ logN: 16, r: 8, p: 3 }, DEFAULT_SCRYPT_PARAMS)).toBe(false);
  });

  it('defaults to at least N = 2^15, r = 8 (32 MiB per hash)', () => {
    expect(DEFAULT_SCRYPT_PARAMS.logN).toBeGreaterThanOrEqual(15);
    expect(DEFAULT_SCRYPT_PARAMS.r).toBeGreaterThanOrEqual(8);
    expect(scryptMemoryBytes({ logN: 15, r: 8, p: 1 })).toBeGreaterThan(32 * 2 ** 20);
  });
});
