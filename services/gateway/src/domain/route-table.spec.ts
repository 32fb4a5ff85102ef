import {
  accessDenial,
  ADMIN,
  AUTHENTICATED,
  matchRoute,
  matchesPattern,
  pathSegments,
  PUBLIC,
  ROUTES,
  routedServices,
} from './route-table';

const routeOf = (method: string, url: string) => {
  const lookup = matchRoute(method, url);
  return lookup.found
    ? { id: lookup.match.route.id, service: lookup.match.route.service, path: lookup.match.upstreamPath }
    : lookup.reason;
};

describe('route table', () => {
  it.each([
    ['POST', '/api/users/register', 'users-register', 'user', '/users/register'],
    ['GET', '/api/users/me', 'users', 'user', '/users/me'],
    ['POST', '/api/auth/login', 'auth', 'user', '/auth/login'],
    ['POST', '/api/auth/refresh', 'auth', 'user', '/auth/refresh'],
    ['GET', '/api/.well-known/jwks.json', 'jwks', 'user', '/.well-known/jwks.json'],
    ['POST', '/api/admin/keys/rotate', 'admin-keys', 'user', '/admin/keys/rotate'],
    ['GET', '/api/products?search=mug&limit=5', 'products-browse', 'catalog', '/products?search=mug&limit=5'],
    ['GET', '/api/products/0196', 'products-browse', 'catalog', '/products/0196'],
    ['HEAD', '/api/products/', 'products-browse', 'catalog', '/products/'],
    ['POST', '/api/products', 'products-write', 'catalog', '/products'],
    ['PATCH', '/api/products/1', 'products-write', 'catalog', '/products/1'],
    ['POST', '/api/products/1/discontinue', 'products-write', 'catalog', '/products/1/discontinue'],
    ['POST', '/api/orders', 'orders', 'order', '/orders'],
    ['GET', '/api/orders/42', 'orders', 'order', '/orders/42'],
    ['GET', '/api/admin/orders/parked', 'admin-orders', 'order', '/admin/orders/parked'],
    ['GET', '/api/inventory/sku-1', 'inventory-read', 'inventory', '/inventory/sku-1'],
    ['POST', '/api/inventory/sku-1/restock', 'inventory-write', 'inventory', '/inventory/sku-1/restock'],
    ['GET', '/api/notifications', 'notifications', 'notification', '/notifications'],
  ])('%s %s -> %s (%s %s)', (method, url, id, service, path) => {
    expect(routeOf(method, url)).toEqual({ id, service, path });
  });

  it.each([
    ['GET', '/api/productsx'],
    ['GET', '/api/payments/1'],
    ['GET', '/api'],
    ['GET', '/products'],
    ['GET', '/api/auth/login'], // auth is POST only
    ['GET', '/api/admin/other'],
  ])('has no route for %s %s', (method, url) => {
    expect(routeOf(method, url)).toBe('no-route');
  });

  it.each([
    '/api/products/../admin/keys/rotate',
    '/api/products/%2e%2e/x',
    '/api/products/a%2Fb',
    '/api/products/%E0%A4%A',
  ])('refuses the path %s', (url) => expect(routeOf('GET', url)).toBe('bad-path'));

  it('guards writes and admin paths: admin for product writes and restock, a user for orders', () => {
    const access = (method: string, url: string) => {
      const lookup = matchRoute(method, url);
      return lookup.found ? lookup.match.route.access : undefined;
    };
    expect(access('POST', '/api/products')).toBe(ADMIN);
    expect(access('POST', '/api/inventory/x/restock')).toBe(ADMIN);
    expect(access('GET', '/api/products')).toBe(PUBLIC);
    expect(access('POST', '/api/auth/login')).toBe(PUBLIC);
    expect(access('GET', '/api/orders')).toBe(AUTHENTICATED);
    expect(
      ROUTES.filter((r) => r.paths.some((p) => p.startsWith('/api/admin/'))).every((r) => r.access === ADMIN),
    ).toBe(true);
    expect(ROUTES.filter((r) => r.staleIfError).map((r) => r.id)).toEqual(['products-browse']);
  });

  it('decides access from the caller', () => {
    expect(accessDenial(PUBLIC, undefined)).toBeUndefined();
    expect(accessDenial(AUTHENTICATED, undefined)).toBe('unauthenticated');
    expect(accessDenial(AUTHENTICATED, { roles: [] })).toBeUndefined();
    expect(accessDenial(ADMIN, { roles: ['customer'] })).toBe('forbidden');
    expect(accessDenial(ADMIN, { roles: ['customer', 'admin'] })).toBeUndefined();
  });

  it('matches patterns segment by segment', () => {
    expect(matchesPattern('/api/products/**', ['api', 'products'])).toBe(true);
    expect(matchesPattern('/api/products/**', ['api', 'products', 'a', 'b'])).toBe(true);
    expect(matchesPattern('/api/x/:id', ['api', 'x', '1'])).toBe(true);
    expect(matchesPattern('/api/x/:id', ['api', 'x', ''])).toBe(false);
    expect(matchesPattern('/api/x/:id', ['api', 'x', '1', '2'])).toBe(false);
    expect(pathSegments('/api/x/')).toEqual(['api', 'x']);
  });

  it('lists the services it routes to', () => {
    expect(routedServices().sort()).toEqual(['catalog', 'inventory', 'notification', 'order', 'user']);
  });

  it('has unique route ids', () => {
    expect(new Set(ROUTES.map((r) => r.id)).size).toBe(ROUTES.length);
  });
});
