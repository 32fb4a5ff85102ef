import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import {
  DEFAULT_SCRYPT_PARAMS,
  formatPasswordHash,
  HASH_BYTES,
  needsRehash,
  parsePasswordHash,
  SALT_BYTES,
  scryptMemoryBytes,
  type ScryptParams,
} from '../domain/password-hash-format';

export type PasswordCheck = { matches: false } | { matches: true; needsRehash: boolean };

/**
 * Password hashing with Node's built-in scrypt (memory-hard, runs on libuv's
 * thread pool, so hashing does not block the event loop). Per-password random
 * salt, constant-time comparison, parameters stored with each hash.
 */
export class ScryptPasswordHasher {
  constructor(readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const hash = await derive(password, salt, this.params, HASH_BYTES);
    return formatPasswordHash({ params: this.params, salt, hash });
  }

  async verify(password: string, stored: string): Promise<PasswordCheck> {
    const parsed = parsePasswordHash(stored);
    if (!parsed) return { matches: false };
    const candidate = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
    if (!timingSafeEqual(candidate, parsed.hash)) return { matches: false };
    return { matches: true, needsRehash: needsRehash(parsed.params, this.params) };
  }

  /**
   * The same work as a real check, for logins of unknown accounts: their
   * answer must not come measurably faster than a wrong password's.
   */
  async burnEquivalentTime(password: string): Promise<void> {
    await derive(password, DUMMY_SALT, this.params, HASH_BYTES);
  }
}

const DUMMY_SALT = randomBytes(SALT_BYTES);

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    maxmem: 2 * scryptMemoryBytes(params),
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}
