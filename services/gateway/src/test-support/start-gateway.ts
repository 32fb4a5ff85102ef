/**
 * Boots the gateway in-process on a free port with explicit settings, for
 * the integration tests (and anyone who wants a gateway in front of test
 * servers). Local fallback discovery is off: only the upstreams given here
 * (static lists) or registered in the registry exist.
 */
import { bootstrapService, loadServiceConfig, type RunningService } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import { gatewayEnv, type GatewayConfig } from '../config';
import { GatewayModule, SERVICE_NAME } from '../gateway.module';
import { GatewayRuntime } from '../gateway-runtime';

export const TEST_IDENTITY_SECRET = 'gateway-test-identity-secret-0123456789';

export interface GatewaySettings {
  redisUrl: string;
  /** The test environment's Redis prefix: registry and rate-limit keys live under it. */
  redisKeyPrefix: string;
  jwksUrl?: string;
  /** Any other variable of gatewayEnv (GATEWAY_UPSTREAMS, RATE_LIMIT_PER_ADDRESS ...). */
  env?: Record<string, string>;
}

export interface RunningGateway extends RunningService {
  readonly config: GatewayConfig;
  readonly runtime: GatewayRuntime;
}

export async function startGateway(settings: GatewaySettings): Promise<RunningGateway> {
  const config = loadServiceConfig(gatewayEnv, {
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: `${settings.redisKeyPrefix}gateway:`,
    DISCOVERY_KEY_PREFIX: settings.redisKeyPrefix,
    DISCOVERY_POLL_MS: '100',
    DISCOVERY_LOCAL_FALLBACK: 'false',
    IDENTITY_HMAC_SECRET: TEST_IDENTITY_SECRET,
    JWKS_URL: settings.jwksUrl ?? 'http://127.0.0.1:9/.well-known/jwks.json',
    JWKS_COOLDOWN_MS: '0',
    HEALTH_CHECK_INTERVAL_MS: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
    RATE_LIMIT_PER_USER: '0',
    LOG_LEVEL: 'silent',
    ...settings.env,
  });
  const service = await bootstrapService({
    name: SERVICE_NAME,
    module: GatewayModule.forRoot(config),
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ serviceName: SERVICE_NAME, level: 'silent' }),
  });
  return { ...service, config, runtime: service.app.get(GatewayRuntime) };
}
