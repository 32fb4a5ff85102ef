/**
 * scrypt parameters and the stored form of a password hash, PHC-string
 * style: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64url, no padding).
 * The parameters travel with each hash, so they can be raised later: old
 * hashes still verify with their own parameters and are re-hashed at the
 * next successful login (needsRehash).
 */
export interface ScryptParams {
  /** log2 of N, the CPU/memory cost (memory = 128 * N * r bytes). */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export interface PasswordHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/**
 * N = 2^15, r = 8, p = 3: 32 MiB per hash, OWASP's equivalent of its
 * minimum N = 2^17, r = 8, p = 1 (128 MiB) at a quarter of the memory.
 */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = { logN: 15, r: 8, p: 3 };
/** The weakest parameters the service accepts in its configuration. */
export const MIN_SCRYPT_PARAMS: Readonly<ScryptParams> = { logN: 15, r: 8, p: 1 };
export const SALT_BYTES = 16;
export const HASH_BYTES = 32;

const PREFIX = '$scrypt$';
const PARAMS = /^ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function formatPasswordHash({ params, salt, hash }: PasswordHash): string {
  return `${PREFIX}ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** The parts of a stored hash, or undefined if it is not one this format can read. */
export function parsePasswordHash(stored: string): PasswordHash | undefined {
  if (!stored.startsWith(PREFIX)) return undefined;
  const [params, salt, hash, ...rest] = stored.slice(PREFIX.length).split('$');
  if (params === undefined || salt === undefined || hash === undefined || rest.length > 0) return undefined;
  const match = PARAMS.exec(params);
  if (!match || !BASE64URL.test(salt) || !BASE64URL.test(hash)) return undefined;
  const parsed = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (!validScryptParams(parsed)) return undefined;
  return { params: parsed, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

export function validScryptParams({ logN, r, p }: ScryptParams): boolean {
  return logN >= 1 && logN <= 24 && r >= 1 && r <= 64 && p >= 1 && p <= 16;
}

/** True when a stored hash was made with weaker parameters than the current ones. */
export function needsRehash(stored: ScryptParams, current: ScryptParams): boolean {
  return stored.logN < current.logN || stored.r < current.r || stored.p < current.p;
}

/** Bytes scrypt needs for these parameters (Node refuses to run above its `maxmem`). */
export function scryptMemoryBytes({ logN, r, p }: ScryptParams): number {
  return 128 * 2 ** logN * r * p + 128 * r * p * 2;
}
