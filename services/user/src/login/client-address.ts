/**
 * The address the per-address login limit counts: the socket's peer, or,
 * behind a trusted proxy (the gateway), the last X-Forwarded-For entry,
 * which is the address that proxy saw. Earlier entries are whatever the
 * client wrote and must not be trusted.
 */
export function clientAddress(
  request: { ip: string; headers: Record<string, string | string[] | undefined> },
  trustForwardedFor: boolean,
): string {
  if (trustForwardedFor) {
    const header = request.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.join(',') : header;
    const last = value?.split(',').pop()?.trim();
    if (last) return last;
  }
  return request.ip;
}
