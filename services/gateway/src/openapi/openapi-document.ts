/**
 * The OpenAPI 3.1 document of the shop's public API, as served by the
 * gateway at GET /api/openapi.json. Hand-written from the services' own
 * endpoints (services/<name>/README.md); `x-gateway-route` names the route
 * of the gateway's table (src/domain/route-table.ts) that serves each
 * operation, and openapi-document.spec.ts checks that every operation is
 * routed there with the security it documents.
 */
type Schema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errorResponse = (description: string) => ({ $ref: `#/components/responses/${description}` });

const GATEWAY_ERRORS = {
  '429': errorResponse('RateLimited'),
  '502': errorResponse('BadGateway'),
  '503': errorResponse('Unavailable'),
  '504': errorResponse('GatewayTimeout'),
};

type Access = 'public' | 'user' | 'admin';

function operation(
  route: string,
  access: Access,
  summary: string,
  responses: Record<string, unknown>,
  extra: Operation = {},
): Operation {
  return {
    summary,
    'x-gateway-route': route,
    ...(access === 'public'
      ? { security: [] }
      : { security: [{ bearerAuth: [] }], ...(access === 'admin' && { 'x-required-roles': ['admin'] }) }),
    ...extra,
    responses: {
      ...responses,
      ...(access !== 'public' && { '401': errorResponse('Unauthorized') }),
      ...(access === 'admin' && { '403': errorResponse('Forbidden') }),
      ...GATEWAY_ERRORS,
    },
  };
}

const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
const idParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const object = (
  properties: Record<string, Schema>,
  required: string[] = Object.keys(properties),
): Schema => ({
  type: 'object',
  properties,
  required,
});
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const int = (extra: Schema = {}): Schema => ({ type: 'integer', ...extra });

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Shop API',
    version: '1.0.0',
    description:
      "The public API of the shop, served by the gateway. Every path is `/api` + the owning service's own path. " +
      'Errors use `{ "error": { "code", "message", "details"? } }`. Authenticated operations need an access token ' +
      'from POST /api/auth/login (`Authorization: Bearer <token>`). Every answer carries `x-request-id`.',
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'users' },
    { name: 'catalog' },
    { name: 'orders' },
    { name: 'inventory' },
    { name: 'notifications' },
  ],
  paths: {
    '/api/users/register': {
      post: operation(
        'users-register',
        'public',
        'Create an account',
        {
          '201': json(ref('User'), 'The account'),
          '400': errorResponse('BadRequest'),
          '409': errorResponse('Conflict'),
        },
        {
          tags: ['users'],
          requestBody: body(
            object({ email: str({ format: 'email' }), password: str({ minLength: 10 }), name: str() }),
          ),
        },
      ),
    },
    '/api/users/me': {
      get: operation(
        'users',
        'user',
        "The caller's profile",
        { '200': json(ref('User'), 'The caller') },
        { tags: ['users'] },
      ),
    },
    '/api/auth/login': {
      post: operation(
        'auth',
        'public',
        'Log in',
        { '200': json(ref('Tokens'), 'A token pair'), '401': errorResponse('Unauthorized') },
        {
          tags: ['users'],
          requestBody: body(object({ email: str(), password: str() })),
        },
      ),
    },
    '/api/auth/refresh': {
      post: operation(
        'auth',
        'public',
        'Trade a refresh token for a new pair (the presented one is revoked)',
        { '200': json(ref('Tokens'), 'A new token pair'), '401': errorResponse('Unauthorized') },
        {
          tags: ['users'],
          requestBody: body(object({ refreshToken: str() })),
        },
      ),
    },
    '/api/auth/logout': {
      post: operation(
        'auth',
        'public',
        'Revoke the session of a refresh token',
        { '204': { description: 'Logged out' } },
        {
          tags: ['users'],
          requestBody: body(object({ refreshToken: str() })),
        },
      ),
    },
    '/api/.well-known/jwks.json': {
      get: operation(
        'jwks',
        'public',
        'Public keys that verify access tokens',
        { '200': json(object({ keys: { type: 'array', items: { type: 'object' } } }), 'The JWKS') },
        { tags: ['users'] },
      ),
    },
    '/api/admin/keys/rotate': {
      post: operation(
        'admin-keys',
        'admin',
        'Rotate the token signing key',
        {
          '200': json(
            object({ kid: str(), retiredKid: str(), rotatedBy: str() }),
            'The new and the retired key',
          ),
        },
        { tags: ['users'] },
      ),
    },
    '/api/products': {
      get: operation(
        'products-browse',
        'public',
        'List and search products',
        { '200': json(ref('ProductPage'), 'One page of products'), '400': errorResponse('BadRequest') },
        {
          tags: ['catalog'],
          description:
            'When every catalog instance fails, the gateway answers with the last good copy it holds (`x-gateway-cache: stale`, `warning: 110`).',
          parameters: [
            { name: 'search', in: 'query', schema: str() },
            { name: 'status', in: 'query', schema: str({ enum: ['active', 'discontinued'] }) },
            { name: 'minPriceCents', in: 'query', schema: int({ minimum: 0 }) },
            { name: 'maxPriceCents', in: 'query', schema: int({ minimum: 0 }) },
            { name: 'page', in: 'query', schema: int({ minimum: 1, default: 1 }) },
            { name: 'limit', in: 'query', schema: int({ minimum: 1, maximum: 100, default: 20 }) },
          ],
        },
      ),
      post: operation(
        'products-write',
        'admin',
        'Create a product',
        {
          '201': json(ref('Product'), 'The product'),
          '400': errorResponse('BadRequest'),
          '409': errorResponse('Conflict'),
        },
        {
          tags: ['catalog'],
          requestBody: body(
            object({
              sku: str(),
              name: str(),
              description: str(),
              priceCents: int({ minimum: 1 }),
              currency: str({ pattern: '^[A-Za-z]{3}$' }),
            }),
          ),
        },
      ),
    },
    '/api/products/{id}': {
      get: operation(
        'products-browse',
        'public',
        'One product',
        {
          '200': json(ref('Product'), 'The product'),
          '400': errorResponse('BadRequest'),
          '404': errorResponse('NotFound'),
        },
        {
          tags: ['catalog'],
          parameters: [idParam('id', 'Product id (UUID)')],
        },
      ),
      patch: operation(
        'products-write',
        'admin',
        'Rename, describe or reprice a product',
        {
          '200': json(ref('Product'), 'The product'),
          '400': errorResponse('BadRequest'),
          '404': errorResponse('NotFound'),
          '409': errorResponse('Conflict'),
        },
        {
          tags: ['catalog'],
          parameters: [idParam('id', 'Product id (UUID)')],
          requestBody: body(
            object(
              { name: str(), description: str(), priceCents: int({ minimum: 1 }), expectedVersion: int() },
              [],
            ),
          ),
        },
      ),
    },
    '/api/products/{id}/discontinue': {
      post: operation(
        'products-write',
        'admin',
        'Discontinue a product',
        { '200': json(ref('Product'), 'The product'), '404': errorResponse('NotFound') },
        {
          tags: ['catalog'],
          parameters: [idParam('id', 'Product id (UUID)')],
        },
      ),
    },
    '/api/orders': {
      post: operation(
        'orders',
        'user',
        'Place an order',
        {
          '202': json(object({ orderId: str(), statusUrl: str() }), 'Accepted; follow statusUrl'),
          '400': errorResponse('BadRequest'),
          '422': errorResponse('Unprocessable'),
        },
        {
          tags: ['orders'],
          description:
            'With an `Idempotency-Key` the order service deduplicates the request, and the gateway may retry it on another instance.',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: true, schema: str({ maxLength: 128 }) },
          ],
          requestBody: body(
            object({
              lines: {
                type: 'array',
                minItems: 1,
                items: object({ productId: str(), quantity: int({ minimum: 1 }) }),
              },
            }),
          ),
        },
      ),
      get: operation(
        'orders',
        'user',
        "The caller's orders",
        { '200': json({ type: 'object' }, 'A page of orders') },
        { tags: ['orders'] },
      ),
    },
    '/api/orders/{id}': {
      get: operation(
        'orders',
        'user',
        'One order of the caller (read model)',
        { '200': json({ type: 'object' }, 'The order'), '404': errorResponse('NotFound') },
        {
          tags: ['orders'],
          parameters: [idParam('id', 'Order id (UUID)')],
        },
      ),
    },
    '/api/orders/{id}/cancel': {
      post: operation(
        'orders',
        'user',
        'Ask to cancel an order',
        {
          '202': { description: 'Cancellation requested' },
          '404': errorResponse('NotFound'),
          '409': errorResponse('Conflict'),
        },
        {
          tags: ['orders'],
          parameters: [idParam('id', 'Order id (UUID)')],
        },
      ),
    },
    '/api/inventory/{productId}': {
      get: operation(
        'inventory-read',
        'user',
        'Stock of a product',
        {
          '200': json({ type: 'object' }, 'Available and reserved quantities'),
          '404': errorResponse('NotFound'),
        },
        {
          tags: ['inventory'],
          parameters: [idParam('productId', 'Product id (UUID)')],
        },
      ),
    },
    '/api/inventory/{productId}/restock': {
      post: operation(
        'inventory-write',
        'admin',
        'Add stock',
        { '200': json({ type: 'object' }, 'The new stock'), '400': errorResponse('BadRequest') },
        {
          tags: ['inventory'],
          parameters: [idParam('productId', 'Product id (UUID)')],
          requestBody: body(object({ quantity: int({ minimum: 1 }) })),
        },
      ),
    },
    '/api/notifications': {
      get: operation(
        'notifications',
        'user',
        'Notifications sent to the caller',
        { '200': json({ type: 'object' }, 'A page of notifications') },
        { tags: ['notifications'] },
      ),
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (EdDSA, typ at+jwt)' },
    },
    schemas: {
      ErrorBody: object({ error: object({ code: str(), message: str(), details: {} }, ['code', 'message']) }),
      User: object(
        {
          id: str(),
          email: str(),
          name: str(),
          roles: { type: 'array', items: str({ enum: ['customer', 'admin'] }) },
          createdAt: str({ format: 'date-time' }),
        },
        ['id', 'email', 'name'],
      ),
      Tokens: object({
        accessToken: str(),
        refreshToken: str(),
        expiresIn: int(),
        tokenType: str({ const: 'Bearer' }),
      }),
      Product: object({
        id: str(),
        sku: str(),
        name: str(),
        description: str(),
        priceCents: int(),
        currency: str(),
        status: str({ enum: ['active', 'discontinued'] }),
        version: int(),
        createdAt: str({ format: 'date-time' }),
        updatedAt: str({ format: 'date-time' }),
      }),
      ProductPage: object({
        items: { type: 'array', items: ref('Product') },
        page: int(),
        limit: int(),
        total: int(),
      }),
    },
    responses: Object.fromEntries(
      (
        [
          ['BadRequest', 'Invalid input (VALIDATION_FAILED lists the fields)'],
          ['Unauthorized', 'No valid access token (UNAUTHORIZED, with WWW-Authenticate)'],
          ['Forbidden', 'The caller lacks the role (FORBIDDEN)'],
          ['NotFound', 'No such resource or route (NOT_FOUND)'],
          ['Conflict', 'Conflicts with the current state (CONFLICT)'],
          ['Unprocessable', 'Well-formed but refused (UNPROCESSABLE, IDEMPOTENCY_KEY_REUSED)'],
          ['PayloadTooLarge', 'Body over the gateway limit (PAYLOAD_TOO_LARGE)'],
          ['RateLimited', 'Too many requests for this user or address (RATE_LIMITED, Retry-After)'],
          ['BadGateway', 'The service could not be reached (BAD_GATEWAY)'],
          [
            'Unavailable',
            'No instance available, circuit open or too many waiting (SERVICE_UNAVAILABLE, Retry-After)',
          ],
          ['GatewayTimeout', 'The service did not answer in time (GATEWAY_TIMEOUT)'],
        ] as const
      ).map(([name, description]) => [name, json(ref('ErrorBody'), description)]),
    ),
  },
} as const;
