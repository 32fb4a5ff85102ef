import { publicPath } from './public-path';

describe('publicPath', () => {
  it('puts the proxy prefix in front of the service path', () => {
    expect(publicPath('/api', '/orders/1')).toBe('/api/orders/1');
    expect(publicPath('/shop/api/', '/orders/1')).toBe('/shop/api/orders/1');
    expect(publicPath(' /v2.api ', '/orders/1')).toBe('/v2.api/orders/1');
  });

  it('leaves the path alone without a prefix, or with one it cannot trust', () => {
    for (const prefix of [
      undefined,
      '',
      '/',
      'api',
      '//evil.example',
      'https://evil.example',
      '/api/../admin',
      '/..',
      '/a b',
      '/api?x=1',
      '/api#x',
      '/api\r\nset-cookie: x',
      ['/api', '/other'],
    ]) {
      expect({ prefix, path: publicPath(prefix, '/orders/1') }).toEqual({ prefix, path: '/orders/1' });
    }
  });
});
