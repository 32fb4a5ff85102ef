import { FORWARDED_PREFIX_HEADER, IDENTITY_HEADERS, type SignedIdentityHeaders } from '@shop/service-kit';
import { PUBLIC_PREFIX } from './route-table';

type Headers = Record<string, string | string[] | undefined>;

/** RFC 9110 7.6.1 connection-specific headers, plus proxy-only ones: never forwarded either way. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage'];

/** Removed from what clients send: the gateway sets them itself. */
const GATEWAY_OWNED = new Set<string>([
  ...Object.values(IDENTITY_HEADERS),
  'host',
  'authorization', // verified here; services trust only the signed identity headers
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  FORWARDED_PREFIX_HEADER,
  'forwarded',
  'x-real-ip',
  'content-length', // set again from the body actually sent
  'expect',
]);

export interface ForwardingContext {
  readonly requestId: string;
  /** The peer address of the client connection (or of the trusted proxy in front). */
  readonly clientAddress: string;
  /** `x-forwarded-for` received, kept only when the gateway sits behind a trusted proxy. */
  readonly trustedForwardedFor?: string;
  readonly proto: 'http' | 'https';
  readonly host: string | undefined;
  /** The signed identity of the caller, if any. */
  readonly identity?: SignedIdentityHeaders;
  /** W3C trace context to send (from the active span, or the client's when no SDK runs). */
  readonly traceHeaders: Record<string, string>;
  readonly contentLength?: number;
}

/**
 * The headers the gateway sends upstream: the client's minus hop-by-hop
 * (including those named in its Connection header), minus everything the
 * gateway owns (identity, authorization, forwarding, request id, trace
 * context), plus the gateway's own values for those.
 */
export function upstreamRequestHeaders(
  incoming: Headers,
  context: ForwardingContext,
): Record<string, string | string[]> {
  const dropped = connectionNamed(incoming.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || dropped.has(lower)) continue;
    if (GATEWAY_OWNED.has(lower) || TRACE_HEADERS.includes(lower)) continue;
    out[lower] = value;
  }
  out['x-request-id'] = context.requestId;
  out['x-forwarded-for'] = context.trustedForwardedFor
    ? `${context.trustedForwardedFor}, ${context.clientAddress}`
    : context.clientAddress;
  out['x-forwarded-proto'] = context.proto;
  if (context.host) out['x-forwarded-host'] = context.host;
  out[FORWARDED_PREFIX_HEADER] = PUBLIC_PREFIX; // removed from the path: services write their links with it
  if (context.contentLength !== undefined) out['content-length'] = String(context.contentLength);
  Object.assign(out, context.traceHeaders);
  if (context.identity) Object.assign(out, context.identity);
  return out;
}

/** The upstream's response headers minus hop-by-hop ones, for the client. */
export function clientResponseHeaders(upstream: Headers): Record<string, string | string[]> {
  const dropped = connectionNamed(upstream.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || dropped.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/** The client's W3C trace context headers, to pass on when no tracing SDK re-issues them. */
export function traceHeadersOf(incoming: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const value = incoming[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

function connectionNamed(connection: string | string[] | undefined): Set<string> {
  const raw = Array.isArray(connection) ? connection.join(',') : (connection ?? '');
  return new Set(
    raw
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}
