import { serviceDefinition, type ServiceName } from '@shop/config';
import {
  CompositeDiscovery,
  RedisRegistryWatcher,
  StaticDiscovery,
  toServiceInstance,
  type DiscoveryProvider,
  type ServiceInstance,
} from '@shop/discovery';
import { closeRedis, createRedis } from '@shop/redis';
import type { ReadinessCheck } from '@shop/health';
import type { Logger } from '@shop/telemetry';
import type Redis from 'ioredis';
import { JwtAuthenticator } from './auth/jwt-authenticator';
import type { GatewayConfig } from './config';
import { routedServices, ROUTES, type RouteDefinition } from './domain/route-table';
import type { BalancerKind } from './domain/balancers';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter';
import { StaleResponseCache } from './stale-cache/stale-response-cache';
import { UpstreamDirectory } from './upstreams/upstream-directory';

/**
 * Everything the proxy needs, built from the config: discovery (static
 * lists, the Redis registry, local defaults), the upstream directory (pools,
 * breakers, bulkheads, budgets, health checks), the JWT verifier, the rate
 * limiter and the stale-if-error cache. Nothing connects before start().
 */
export class GatewayRuntime {
  readonly routes: readonly RouteDefinition[] = ROUTES;
  readonly authenticator: JwtAuthenticator;
  readonly staleCache: StaleResponseCache;
  directory!: UpstreamDirectory;
  rateLimiter!: RedisRateLimiter;
  private redis: Redis | undefined;
  private registryRedis: Redis | undefined;
  private started = false;

  constructor(
    readonly config: GatewayConfig,
    readonly logger: Logger,
  ) {
    this.authenticator = new JwtAuthenticator({
      jwksUrl: config.JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      cooldownMs: config.JWKS_COOLDOWN_MS,
      cacheMaxAgeMs: config.JWKS_CACHE_MAX_AGE_MS,
      timeoutMs: config.JWKS_TIMEOUT_MS,
    });
    this.staleCache = new StaleResponseCache({
      maxEntries: config.STALE_MAX_ENTRIES,
      maxEntryBytes: config.STALE_MAX_ENTRY_BYTES,
      maxAgeMs: config.STALE_MAX_AGE_MS,
    });
  }

  balancerOf(route: RouteDefinition): BalancerKind {
    return this.config.GATEWAY_ROUTE_BALANCERS[route.id] ?? route.balancer;
  }

  async start(): Promise<void> {
    const config = this.config;
    const warn = (what: string) => (err: Error) => this.logger.warn({ err: err.message }, what);
    this.redis = createRedis(config.REDIS_URL, {
      keyPrefix: config.REDIS_KEY_PREFIX,
      onError: warn('redis error'),
    });
    this.rateLimiter = new RedisRateLimiter(this.redis, {
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      perAddress: config.RATE_LIMIT_PER_ADDRESS,
      perUser: config.RATE_LIMIT_PER_USER,
      onRedisError: warn('rate limiter skipped: Redis unavailable'),
    });
    this.directory = new UpstreamDirectory({
      services: routedServices(this.routes),
      discovery: this.discovery(),
      settings: {
        tryTimeoutMs: config.UPSTREAM_TRY_TIMEOUT_MS,
        bodyTimeoutMs: config.UPSTREAM_BODY_TIMEOUT_MS,
        connections: config.UPSTREAM_CONNECTIONS,
        breaker: {
          volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
          errorThresholdPercentage: config.BREAKER_ERROR_PERCENT,
          resetTimeoutMs: config.BREAKER_RESET_MS,
        },
        outlier: {
          consecutiveFailures: config.OUTLIER_CONSECUTIVE_FAILURES,
          baseEjectionMs: config.OUTLIER_BASE_EJECTION_MS,
          maxEjectionMs: config.OUTLIER_MAX_EJECTION_MS,
          maxEjectionPercent: config.OUTLIER_MAX_EJECTION_PERCENT,
        },
        health: {
          unhealthyThreshold: config.HEALTH_UNHEALTHY_THRESHOLD,
          healthyThreshold: config.HEALTH_HEALTHY_THRESHOLD,
        },
        logger: this.logger,
      },
      bulkhead: {
        maxConcurrent: config.BULKHEAD_MAX_CONCURRENT,
        maxQueue: config.BULKHEAD_MAX_QUEUE,
        queueTimeoutMs: config.BULKHEAD_QUEUE_TIMEOUT_MS,
      },
      retryBudget: {
        ratio: config.RETRY_BUDGET_RATIO,
        minRetriesPerSecond: config.RETRY_BUDGET_MIN_PER_SECOND,
      },
      health: {
        intervalMs: config.HEALTH_CHECK_INTERVAL_MS,
        timeoutMs: config.HEALTH_CHECK_TIMEOUT_MS,
        path: config.HEALTH_CHECK_PATH,
      },
      log: (fields, message) => this.logger.info(fields, message),
    });
    await this.directory.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.directory.stop();
    await Promise.all([this.redis, this.registryRedis].map((client) => client && closeRedis(client)));
  }

  /** Ready once discovery has loaded; the details show each service's instances by state. */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'upstreams',
      timeoutMs: 1_000,
      check: async () => {
        if (!this.started) throw new Error('the gateway has not started');
        const now = Date.now();
        return Object.fromEntries(this.directory.all().map((s) => [s.name, s.states(now)]));
      },
    };
  }

  /** Static lists from the environment win, then the Redis registry, then the native stack's local ports. */
  private discovery(): DiscoveryProvider {
    const config = this.config;
    const services = routedServices(this.routes);
    const providers: DiscoveryProvider[] = [
      StaticDiscovery.fromEnv(config as unknown as Record<string, string | undefined>, services),
    ];
    if (config.DISCOVERY_REDIS) {
      this.registryRedis = createRedis(config.REDIS_URL, {
        keyPrefix: config.DISCOVERY_KEY_PREFIX,
        onError: (err) => this.logger.warn({ err: err.message }, 'registry redis error'),
      });
      providers.push(
        new RedisRegistryWatcher(this.registryRedis, {
          services,
          pollIntervalMs: config.DISCOVERY_POLL_MS,
          onError: (err) =>
            this.logger.warn({ err: err.message }, 'registry read failed; keeping the last known instances'),
        }),
      );
    }
    if (config.DISCOVERY_LOCAL_FALLBACK) providers.push(new StaticDiscovery(localDefaults(services)));
    return new CompositeDiscovery(providers);
  }
}

function localDefaults(services: readonly ServiceName[]): Map<string, ServiceInstance[]> {
  return new Map(
    services.map((service) => [
      service,
      [
        toServiceInstance({
          service,
          instanceId: 'local',
          address: `http://127.0.0.1:${serviceDefinition(service).httpPort}`,
        }),
      ],
    ]),
  );
}
