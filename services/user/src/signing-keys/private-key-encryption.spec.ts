import { PrivateKeyEncryption } from './private-key-encryption';

describe('private key encryption at rest', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const plaintext = Buffer.from('pkcs8 bytes of a private key');

  it('round-trips, with a fresh IV each time', () => {
    const encryption = new PrivateKeyEncryption(secret);
    const a = encryption.encrypt(plaintext, 'kid-1');
    const b = encryption.encrypt(plaintext, 'kid-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain(plaintext.toString('base64url'));
    expect(encryption.decrypt(a, 'kid-1')).toEqual(plaintext);
  });

  it('refuses another secret, another key id, or an altered ciphertext', () => {
    const stored = new PrivateKeyEncryption(secret).encrypt(plaintext, 'kid-1');
    expect(() => new PrivateKeyEncryption(`${secret}!`).decrypt(stored, 'kid-1')).toThrow(/does not decrypt/);
    expect(() => new PrivateKeyEncryption(secret).decrypt(stored, 'kid-2')).toThrow(/does not decrypt/);
    const parts = stored.split('.');
    parts[3] = (parts[3]!.startsWith('A') ? 'B' : 'A') + parts[3]!.slice(1);
    expect(() => new PrivateKeyEncryption(secret).decrypt(parts.join('.'), 'kid-1')).toThrow(
      /does not decrypt/,
    );
    expect(() => new PrivateKeyEncryption(secret).decrypt('garbage', 'kid-1')).toThrow(/unreadable/);
  });
});
