import { signIdentity } from '@shop/service-kit';
import { clientResponseHeaders, traceHeadersOf, upstreamRequestHeaders } from './forwarded-headers';
import { isServableStale, isStorableResponse } from './stale-if-error';

const SECRET = 'gateway-unit-secret-0123456789abcdef';

describe('upstream request headers', () => {
  const incoming = {
    host: 'shop.example',
    connection: 'keep-alive, x-drop-me',
    'keep-alive': 'timeout=5',
    'x-drop-me': '1',
    'transfer-encoding': 'chunked',
    te: 'trailers',
    upgrade: 'h2c',
    'proxy-authorization': 'Basic x',
    authorization: 'Bearer token',
    'x-shop-user-id': 'forged-admin',
    'x-shop-user-roles': 'admin',
    'x-shop-identity-signature': 'forged',
    'x-forwarded-for': '6.6.6.6',
    'x-forwarded-prefix': '/forged',
    'x-request-id': 'client-id',
    'content-length': '999',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    'content-type': 'application/json',
    'idempotency-key': 'k-1',
    accept: 'application/json',
  };

  it('drops hop-by-hop and client-sent identity, and sets the gateway values', () => {
    const identity = signIdentity({ userId: 'u-1', roles: ['customer'] }, SECRET);
    const headers = upstreamRequestHeaders(incoming, {
      requestId: 'req-1',
      clientAddress: '10.1.1.1',
      proto: 'http',
      host: 'shop.example',
      identity,
      traceHeaders: { traceparent: '00-aaaabbbbccccddddeeeeffff00001111-2222333344445555-01' },
      contentLength: 12,
    });
    expect(headers).toEqual({
      'content-type': 'application/json',
      'idempotency-key': 'k-1',
      accept: 'application/json',
      'x-request-id': 'req-1',
      'x-forwarded-for': '10.1.1.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example',
      'x-forwarded-prefix': '/api',
      'content-length': '12',
      traceparent: '00-aaaabbbbccccddddeeeeffff00001111-2222333344445555-01',
      ...identity,
    });
  });

  it('sends no identity headers at all for an anonymous caller, and appends to a trusted x-forwarded-for', () => {
    const headers = upstreamRequestHeaders(incoming, {
      requestId: 'req-2',
      clientAddress: '10.0.0.9',
      trustedForwardedFor: '203.0.113.7',
      proto: 'https',
      host: undefined,
      traceHeaders: {},
    });
    expect(Object.keys(headers).filter((h) => h.startsWith('x-shop-'))).toEqual([]);
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 10.0.0.9');
    expect(headers).not.toHaveProperty('content-length');
    expect(headers).not.toHaveProperty('traceparent');
  });

  it('drops hop-by-hop headers of responses', () => {
    expect(
      clientResponseHeaders({
        connection: 'close, x-hop',
        'x-hop': '1',
        'keep-alive': 't',
        'content-type': 'text/plain',
        'set-cookie': ['a', 'b'],
      }),
    ).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a', 'b'] });
  });

  it('takes the W3C trace context of the client', () => {
    expect(traceHeadersOf({ traceparent: 'tp', tracestate: 'ts', baggage: undefined })).toEqual({
      traceparent: 'tp',
      tracestate: 'ts',
    });
  });
});

describe('stale-if-error rules', () => {
  it('stores 200 answers to GET that are not private, no-store or cookie-setting, and small enough', () => {
    expect(isStorableResponse('GET', 200, { 'cache-control': 'public, max-age=60' }, 1000)).toBe(true);
    expect(isStorableResponse('HEAD', 200, {}, 1000)).toBe(false);
    expect(isStorableResponse('GET', 404, {}, 1000)).toBe(false);
    expect(isStorableResponse('GET', 200, { 'cache-control': 'private' }, 1000)).toBe(false);
    expect(isStorableResponse('GET', 200, { 'cache-control': 'max-age=0, no-store' }, 1000)).toBe(false);
    expect(isStorableResponse('GET', 200, { 'set-cookie': 'a=b' }, 1000)).toBe(false);
    expect(isStorableResponse('GET', 200, { 'content-length': '1001' }, 1000)).toBe(false);
  });

  it('serves stale answers up to the maximum age', () => {
    expect(isServableStale(0, 1000)).toBe(true);
    expect(isServableStale(1000, 1000)).toBe(true);
    expect(isServableStale(1001, 1000)).toBe(false);
  });
});
