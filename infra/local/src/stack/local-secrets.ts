import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The secrets a local stack needs; generated once per checkout so user signing keys stay readable across restarts. */
export interface LocalSecrets {
  IDENTITY_HMAC_SECRET: string;
  KEY_ENCRYPTION_SECRET: string;
}

export function generateSecrets(): LocalSecrets {
  return {
    IDENTITY_HMAC_SECRET: randomBytes(32).toString('base64url'),
    KEY_ENCRYPTION_SECRET: randomBytes(32).toString('base64url'),
  };
}

/** Reads `file` (gitignored, mode 600), or writes new secrets there first. */
export function loadOrCreateSecrets(file: string): LocalSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets = generateSecrets();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
