/**
 * Errors that say "the infrastructure is unwell", not "this message is bad":
 * network failures, Postgres connection loss, serialization failures and
 * deadlocks. A consumer retries those without limit (a database restart must
 * not send a whole partition to the dead-letter topic) and everything else a
 * bounded number of times.
 */
const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// SQLSTATE: serialization_failure, deadlock_detected, too_many_connections,
// admin_shutdown, crash_shutdown, cannot_connect_now.
const POSTGRES_TRANSIENT_STATES = new Set(['40001', '40P01', '53300', '57P01', '57P02', '57P03']);

const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
];

export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NODE_NETWORK_CODES.has(code) || POSTGRES_TRANSIENT_STATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // connection_exception class
  }
  if (PG_CONNECTION_MESSAGES.some((m) => error.message.includes(m))) return true;
  return error.cause !== undefined && isTransientError(error.cause);
}
