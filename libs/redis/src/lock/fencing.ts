/**
 * The check a protected resource makes before applying a write that carries
 * a fencing token: accept it only if no higher token has been seen. Equal is
 * accepted so one holder can write several times during its lease.
 *
 * For resources that keep the highest token themselves, e.g. a Postgres row:
 *   UPDATE jobs SET ..., fencing_token = $1 WHERE id = $2 AND fencing_token <= $1
 * (0 rows updated = stale holder), or read it under SELECT ... FOR UPDATE and
 * call this function inside the same transaction.
 */
export function acceptsFencingToken(highestSeen: number | null | undefined, token: number): boolean {
  return token >= (highestSeen ?? 0);
}

export class StaleFencingTokenError extends Error {
  constructor(resource: string, token: number) {
    super(`write to '${resource}' with fencing token ${token} rejected: a newer lock holder has written`);
    this.name = 'StaleFencingTokenError';
  }
}
