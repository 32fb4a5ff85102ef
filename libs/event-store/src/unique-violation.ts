import { sqlState } from '@shop/persistence';

/**
 * Which of `candidates` (unique index names) a failed statement violated, if
 * any. Both SqlClient adapters report the SQLSTATE in `code` and the index in
 * `constraint`; the server message is the fallback when a driver drops it.
 */
export function violatedUniqueIndex(err: unknown, candidates: readonly string[]): string | undefined {
  if (sqlState(err) !== '23505') return undefined;
  const { constraint, message } = err as { constraint?: unknown; message?: unknown };
  if (typeof constraint === 'string') return candidates.find((c) => c === constraint);
  return candidates.find((c) => String(message ?? '').includes(`"${c}"`));
}
