import type { Readable } from 'node:stream';
import { type ServiceInstance } from '@shop/discovery';
import { createBreaker, type ResilienceLogger } from '@shop/resilience';
import type CircuitBreaker from 'opossum';
import { Pool, type Dispatcher } from 'undici';
import { ActiveHealth, type HealthCheckPolicy } from '../domain/active-health';
import { OutlierDetector, type OutlierPolicy } from '../domain/outlier-ejection';
import { failureOfStatus, type AttemptFailure } from '../domain/retry-decision';

export interface UpstreamSettings {
  tryTimeoutMs: number;
  bodyTimeoutMs: number;
  connections: number;
  breaker: { volumeThreshold: number; errorThresholdPercentage: number; resetTimeoutMs: number };
  outlier: OutlierPolicy;
  health: HealthCheckPolicy;
  logger: ResilienceLogger;
}

export interface AttemptRequest {
  method: Dispatcher.HttpMethod;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | Readable | null;
  /** Aborts on the overall deadline or when the client goes away. */
  signal: AbortSignal;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/** The instance answered 5xx: a failure for the breaker and outlier detection, with the answer kept for the client. */
export class UpstreamStatusError extends Error {
  override readonly name = 'UpstreamStatusError';
  readonly status: number;

  constructor(
    readonly response: UpstreamResponse,
    readonly failure: AttemptFailure,
  ) {
    super(`Upstream answered ${response.statusCode}`);
    this.status = response.statusCode;
  }
}

/**
 * One instance of an upstream service: its keep-alive connection pool, its
 * own circuit breaker (`<service>@<instanceId>`), its passive outlier
 * detector and active health state, and the requests it has in flight.
 */
export class UpstreamInstance {
  readonly key: string;
  readonly pool: Pool;
  readonly breaker: CircuitBreaker<[AttemptRequest], UpstreamResponse>;
  readonly outlier: OutlierDetector;
  readonly activeHealth: ActiveHealth;
  outstanding = 0;

  constructor(
    public instance: ServiceInstance,
    settings: UpstreamSettings,
  ) {
    this.key = instanceKey(instance);
    this.pool = new Pool(instance.address, {
      connections: settings.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: settings.tryTimeoutMs + 1_000, // the breaker's own timeout fires first
      bodyTimeout: settings.bodyTimeoutMs,
      connectTimeout: Math.min(settings.tryTimeoutMs, 5_000),
    });
    this.breaker = createBreaker(
      `${instance.service}@${instance.instanceId}`,
      (signal, request) => this.call(signal, request),
      {
        timeoutMs: settings.tryTimeoutMs,
        ...settings.breaker,
        logger: settings.logger,
      },
    );
    this.outlier = new OutlierDetector(settings.outlier);
    this.activeHealth = new ActiveHealth(settings.health);
  }

  get id(): string {
    return this.instance.instanceId;
  }

  get weight(): number {
    return this.instance.weight;
  }

  /** Whether new requests may go here: registered up, passing probes, not ejected, breaker not open. */
  isAvailable(now: number): boolean {
    return (
      this.instance.health === 'up' &&
      this.activeHealth.healthy &&
      !this.outlier.isEjected(now) &&
      !this.breaker.opened
    );
  }

  state(now: number): 'available' | 'ejected' | 'unhealthy' | 'breaker-open' | 'not-up' {
    if (this.instance.health !== 'up') return 'not-up';
    if (this.outlier.isEjected(now)) return 'ejected';
    if (!this.activeHealth.healthy) return 'unhealthy';
    if (this.breaker.opened) return 'breaker-open';
    return 'available';
  }

  /** One attempt through the breaker: resolves at the response headers (status < 500). */
  send(request: AttemptRequest): Promise<UpstreamResponse> {
    return this.breaker.fire(request);
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    // Requests in flight may finish; then the sockets close.
    await Promise.race([this.pool.close(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await this.pool.destroy().catch(() => undefined);
  }

  private async call(trySignal: AbortSignal, request: AttemptRequest): Promise<UpstreamResponse> {
    const response = await this.pool.request({
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.any([trySignal, request.signal]),
    });
    const failure = failureOfStatus(response.statusCode);
    if (failure) throw new UpstreamStatusError(response, failure);
    return response;
  }
}

export function instanceKey(instance: ServiceInstance): string {
  return `${instance.instanceId}|${instance.address}`;
}
