import { SERVICE_ENV_SCHEMAS } from '@shop/service-kit';
import { z } from 'zod';
import { BALANCER_KINDS } from './domain/balancers';
import { routedServices, ROUTES } from './domain/route-table';

const int = (min: number) => z.coerce.number().int().min(min);
const ms = () => int(1);

/** `<SERVICE>_URLS` for every routed service (static discovery; see @shop/discovery). */
const serviceUrlVariables = Object.fromEntries(
  routedServices().map((service) => [`${service.toUpperCase()}_URLS`, z.string().optional()]),
) as Record<`${Uppercase<ReturnType<typeof routedServices>[number]>}_URLS`, z.ZodOptional<z.ZodString>>;

/** `products-browse=smooth-weighted,orders=round-robin` -> { 'products-browse': 'smooth-weighted', ... } */
const routeBalancers = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const out: Record<string, (typeof BALANCER_KINDS)[number]> = {};
    for (const entry of raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [route = '', kind = ''] = entry.split('=').map((p) => p.trim());
      if (!ROUTES.some((r) => r.id === route))
        ctx.addIssue({ code: 'custom', message: `unknown route '${route}'` });
      else if (!(BALANCER_KINDS as readonly string[]).includes(kind)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown balancer '${kind}' (${BALANCER_KINDS.join(', ')})`,
        });
      } else out[route] = kind as (typeof BALANCER_KINDS)[number];
    }
    return out;
  });

/**
 * The gateway's environment: the platform's common variables (no Kafka:
 * the gateway produces and consumes nothing) plus these. Every
 * variable is documented in services/gateway/README.md.
 */
export const gatewayEnv = SERVICE_ENV_SCHEMAS.gateway
  .extend({
    // Authentication (tokens of the user service)
    JWKS_URL: z.url().default('http://127.0.0.1:3001/.well-known/jwks.json'),
    JWT_ISSUER: z.string().min(1).default('shop-user-service'),
    JWT_AUDIENCE: z.string().min(1).default('shop'),
    /** Least time between two JWKS fetches for unknown kids (jose cooldownDuration). */
    JWKS_COOLDOWN_MS: int(0).default(5_000),
    /** A cached JWKS older than this is refetched before use (jose cacheMaxAge). */
    JWKS_CACHE_MAX_AGE_MS: ms().default(600_000),
    JWKS_TIMEOUT_MS: ms().default(2_000),

    // Discovery
    GATEWAY_UPSTREAMS: z.string().optional(),
    ...serviceUrlVariables,
    DISCOVERY_REDIS: z.stringbool().default(true),
    /** Key prefix of the shared registry (the one services register under). */
    DISCOVERY_KEY_PREFIX: z.string().default(''),
    DISCOVERY_POLL_MS: ms().default(1_000),
    /** With neither a static list nor a registration, send to 127.0.0.1:<port of @shop/config> (native stack). */
    DISCOVERY_LOCAL_FALLBACK: z.stringbool().default(true),
    GATEWAY_ROUTE_BALANCERS: routeBalancers,

    // Requests
    BODY_LIMIT_BYTES: ms().default(1024 * 1024),
    UPSTREAM_TRY_TIMEOUT_MS: ms().default(3_000),
    REQUEST_DEADLINE_MS: ms().default(10_000),
    /** Longest pause between two chunks of a response body. */
    UPSTREAM_BODY_TIMEOUT_MS: ms().default(30_000),
    UPSTREAM_CONNECTIONS: ms().default(64),
    TRUST_FORWARDED_FOR: z.stringbool().default(false),

    // Retries
    RETRY_MAX_ATTEMPTS: ms().default(3),
    RETRY_BASE_DELAY_MS: ms().default(25),
    RETRY_MAX_DELAY_MS: ms().default(1_000),
    RETRY_BUDGET_RATIO: z.coerce.number().min(0).max(1).default(0.2),
    RETRY_BUDGET_MIN_PER_SECOND: z.coerce.number().min(0).default(10),

    // Bulkhead per upstream service
    BULKHEAD_MAX_CONCURRENT: ms().default(100),
    BULKHEAD_MAX_QUEUE: int(0).default(200),
    BULKHEAD_QUEUE_TIMEOUT_MS: ms().default(2_000),

    // Breaker per upstream instance
    BREAKER_VOLUME_THRESHOLD: ms().default(10),
    BREAKER_ERROR_PERCENT: z.coerce.number().gt(0).lt(100).default(50),
    BREAKER_RESET_MS: ms().default(10_000),

    // Passive outlier ejection
    OUTLIER_CONSECUTIVE_FAILURES: ms().default(5),
    OUTLIER_BASE_EJECTION_MS: ms().default(5_000),
    OUTLIER_MAX_EJECTION_MS: ms().default(60_000),
    OUTLIER_MAX_EJECTION_PERCENT: z.coerce.number().min(0).max(100).default(50),

    // Active health checks
    HEALTH_CHECK_INTERVAL_MS: int(0).default(5_000),
    HEALTH_CHECK_TIMEOUT_MS: ms().default(1_000),
    HEALTH_CHECK_PATH: z.string().startsWith('/').default('/health/ready'),
    HEALTH_UNHEALTHY_THRESHOLD: ms().default(2),
    HEALTH_HEALTHY_THRESHOLD: ms().default(1),

    // Rate limits (0 disables one)
    RATE_LIMIT_WINDOW_MS: ms().default(60_000),
    RATE_LIMIT_PER_ADDRESS: int(0).default(600),
    RATE_LIMIT_PER_USER: int(0).default(300),
    /** Prefix of the gateway's own Redis keys (rate limit counters). */
    REDIS_KEY_PREFIX: z.string().default('gateway:'),

    // stale-if-error
    STALE_MAX_AGE_MS: int(0).default(600_000),
    STALE_MAX_ENTRIES: int(0).default(1_000),
    STALE_MAX_ENTRY_BYTES: ms().default(256 * 1024),
  })
  .refine((c) => c.UPSTREAM_TRY_TIMEOUT_MS < c.REQUEST_DEADLINE_MS, {
    path: ['UPSTREAM_TRY_TIMEOUT_MS'],
    message: 'must be below REQUEST_DEADLINE_MS',
  });

export type GatewayConfig = z.output<typeof gatewayEnv>;
