/**
 * The header a proxy in front of the services (the gateway) sets to the path
 * prefix it removed: the gateway serves `/api/orders/1` as the order
 * service's `/orders/1` and sends `X-Forwarded-Prefix: /api`.
 */
export const FORWARDED_PREFIX_HEADER = 'x-forwarded-prefix';

/** One or more `/segment`s of unreserved URL characters: no `..`, no host, nothing to inject. */
const SAFE_PREFIX = /^(\/(?!\.{1,2}(\/|$))[A-Za-z0-9._~-]+)+$/;

/**
 * A service path as the client who called through the proxy must write it
 * (links in responses, such as an accepted order's statusUrl). A missing or
 * unsafe prefix leaves the path as the service serves it.
 *
 *   publicPath('/api', '/orders/1') === '/api/orders/1'
 *   publicPath(undefined, '/orders/1') === '/orders/1'
 */
export function publicPath(forwardedPrefix: string | string[] | undefined, path: string): string {
  if (typeof forwardedPrefix !== 'string') return path;
  const prefix = forwardedPrefix.trim().replace(/\/+$/, '');
  return SAFE_PREFIX.test(prefix) ? prefix + path : path;
}
