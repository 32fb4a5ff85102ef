/**
 * Which answers the gateway may keep and replay when every instance of the
 * service fails (RFC 5861 stale-if-error, decided by the gateway for the
 * routes marked `staleIfError`, i.e. public product browsing): a 200 to a
 * GET, not marked private or no-store, setting no cookie, small enough.
 */
export function isStorableResponse(
  method: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  maxEntryBytes: number,
): boolean {
  if (method !== 'GET' || status !== 200) return false;
  if (headers['set-cookie'] !== undefined) return false;
  const cacheControl = String(headers['cache-control'] ?? '').toLowerCase();
  if (/(^|[\s,])(no-store|private)([\s,=]|$)/.test(cacheControl)) return false;
  const length = Number(headers['content-length']);
  return !(Number.isFinite(length) && length > maxEntryBytes);
}

/** Whether a stored answer of `ageMs` may still be served when the service is failing. */
export function isServableStale(ageMs: number, maxStaleMs: number): boolean {
  return ageMs >= 0 && ageMs <= maxStaleMs;
}
