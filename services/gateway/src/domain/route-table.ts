import type { ServiceName } from '@shop/config';
import type { BalancerKind } from './balancers/balancer';

/** Who may call a route: anyone, any signed-in user, or a signed-in user with one of the roles. */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'roles'; readonly roles: readonly string[] };

export const PUBLIC: Access = { kind: 'public' };
export const AUTHENTICATED: Access = { kind: 'authenticated' };
export const ADMIN: Access = { kind: 'roles', roles: ['admin'] };

export const READ_METHODS = ['GET', 'HEAD'] as const;
export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface RouteDefinition {
  /** Stable name: metrics label, GATEWAY_ROUTE_BALANCERS key. */
  readonly id: string;
  readonly service: ServiceName;
  /** `*` for every method. */
  readonly methods: readonly string[] | '*';
  /**
   * Public paths, segment by segment: a literal, `:name` (one segment) or a
   * final `**` (zero or more segments). `/api/products/**` matches
   * `/api/products` and `/api/products/a/b`.
   */
  readonly paths: readonly string[];
  readonly access: Access;
  readonly balancer: BalancerKind;
  /** Successful GETs are kept to answer when every instance fails (stale-if-error). */
  readonly staleIfError?: boolean;
}

/**
 * Every public route of the shop, first match wins. Public path = `/api` +
 * the owning service's own path. Roles checked here are a first line; the
 * services check them again from the signed identity headers.
 */
export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'users-register',
    service: 'user',
    methods: ['POST'],
    paths: ['/api/users/register'],
    access: PUBLIC,
    balancer: 'smooth-weighted',
  },
  {
    id: 'users',
    service: 'user',
    methods: '*',
    paths: ['/api/users/**'],
    access: AUTHENTICATED,
    balancer: 'smooth-weighted',
  },
  {
    id: 'auth',
    service: 'user',
    methods: ['POST'],
    paths: ['/api/auth/**'],
    access: PUBLIC,
    balancer: 'smooth-weighted',
  },
  {
    id: 'jwks',
    service: 'user',
    methods: READ_METHODS,
    paths: ['/api/.well-known/jwks.json'],
    access: PUBLIC,
    balancer: 'smooth-weighted',
  },
  {
    id: 'admin-keys',
    service: 'user',
    methods: '*',
    paths: ['/api/admin/keys/**'],
    access: ADMIN,
    balancer: 'smooth-weighted',
  },
  {
    id: 'products-browse',
    service: 'catalog',
    methods: READ_METHODS,
    paths: ['/api/products/**'],
    access: PUBLIC,
    balancer: 'least-outstanding',
    staleIfError: true,
  },
  {
    id: 'products-write',
    service: 'catalog',
    methods: WRITE_METHODS,
    paths: ['/api/products/**'],
    access: ADMIN,
    balancer: 'smooth-weighted',
  },
  {
    id: 'orders',
    service: 'order',
    methods: '*',
    paths: ['/api/orders/**'],
    access: AUTHENTICATED,
    balancer: 'least-outstanding',
  },
  {
    id: 'admin-orders',
    service: 'order',
    methods: '*',
    paths: ['/api/admin/orders/**'],
    access: ADMIN,
    balancer: 'smooth-weighted',
  },
  {
    id: 'inventory-read',
    service: 'inventory',
    methods: READ_METHODS,
    paths: ['/api/inventory/**'],
    access: AUTHENTICATED,
    balancer: 'least-outstanding',
  },
  {
    id: 'inventory-write',
    service: 'inventory',
    methods: WRITE_METHODS,
    paths: ['/api/inventory/**'],
    access: ADMIN,
    balancer: 'smooth-weighted',
  },
  {
    id: 'admin-inventory',
    service: 'inventory',
    methods: '*',
    paths: ['/api/admin/inventory/**'],
    access: ADMIN,
    balancer: 'smooth-weighted',
  },
  {
    id: 'notifications',
    service: 'notification',
    methods: '*',
    paths: ['/api/notifications/**'],
    access: AUTHENTICATED,
    balancer: 'smooth-weighted',
  },
  {
    id: 'admin-notifications',
    service: 'notification',
    methods: '*',
    paths: ['/api/admin/notifications/**'],
    access: ADMIN,
    balancer: 'smooth-weighted',
  },
];

export const PUBLIC_PREFIX = '/api';

export interface RouteMatch {
  readonly route: RouteDefinition;
  /** The path (and query) to call on the service: the public one without `/api`. */
  readonly upstreamPath: string;
}

export type RouteLookup =
  | { readonly found: true; readonly match: RouteMatch }
  | { readonly found: false; readonly reason: 'no-route' | 'bad-path' };

/** The route for a request, from its method and raw URL (path + query). */
export function matchRoute(
  method: string,
  rawUrl: string,
  routes: readonly RouteDefinition[] = ROUTES,
): RouteLookup {
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const segments = pathSegments(path);
  if (segments === undefined) return { found: false, reason: 'bad-path' };
  const upper = method.toUpperCase();
  for (const route of routes) {
    if (route.methods !== '*' && !route.methods.includes(upper)) continue;
    if (!route.paths.some((pattern) => matchesPattern(pattern, segments))) continue;
    return { found: true, match: { route, upstreamPath: rawUrl.slice(PUBLIC_PREFIX.length) } };
  }
  return { found: false, reason: 'no-route' };
}

/**
 * Decoded-safe segments, or undefined for paths that must never be
 * forwarded: dot segments (`/api/products/../admin/keys`, also
 * percent-encoded) would let a public route reach another service path.
 */
export function pathSegments(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\'))
      return undefined;
  }
  if (segments.length > 1 && segments.at(-1) === '') segments.pop(); // trailing slash
  return segments;
}

export function matchesPattern(pattern: string, segments: readonly string[]): boolean {
  const parts = pattern.slice(1).split('/');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '**') return i === parts.length - 1;
    const segment = segments[i];
    if (segment === undefined) return false;
    if (part.startsWith(':')) {
      if (segment === '') return false;
      continue;
    }
    if (part !== segment) return false;
  }
  return segments.length === parts.length;
}

/** The services a route table sends to (what discovery must watch). */
export function routedServices(routes: readonly RouteDefinition[] = ROUTES): ServiceName[] {
  return [...new Set(routes.map((r) => r.service))];
}

/** What the caller must prove for `access`; undefined when allowed. */
export function accessDenial(
  access: Access,
  caller: { roles: readonly string[] } | undefined,
): 'unauthenticated' | 'forbidden' | undefined {
  if (access.kind === 'public') return undefined;
  if (!caller) return 'unauthenticated';
  if (access.kind === 'roles' && !access.roles.some((role) => caller.roles.includes(role)))
    return 'forbidden';
  return undefined;
}
