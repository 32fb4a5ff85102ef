import { withTimeout } from '@shop/resilience';
import { ApiError } from '@shop/contracts';
import type { createRedis } from '@shop/redis';
import { z } from 'zod';

/** How the simulated provider misbehaves: share of calls failing with 503, and added latency per call. */
export interface ProviderBehaviour {
  failureRate: number;
  latencyMs: number;
}

export const providerBehaviourSchema = z.object({
  failureRate: z.number().min(0).max(1),
  latencyMs: z.number().int().min(0).max(60_000),
});

export const providerBehaviourChangeSchema = providerBehaviourSchema
  .partial()
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'give failureRate, latencyMs or both');

export type ProviderBehaviourChange = z.infer<typeof providerBehaviourChangeSchema>;

export interface ProviderBehaviourReading extends ProviderBehaviour {
  /** Where the values came from: Redis, or the env defaults (nothing stored, or Redis unreachable). */
  source: 'redis' | 'defaults';
}

type Redis = ReturnType<typeof createRedis>;

export const PROVIDER_BEHAVIOUR_KEY = 'provider:behaviour';
const READ_TIMEOUT_MS = 250;
const WRITE_TIMEOUT_MS = 2_000;

/**
 * The provider's live behaviour, kept in Redis: the provider is one external
 * system, so every instance of the service must see the same behaviour. When
 * Redis cannot answer quickly the env defaults apply (the provider still
 * works, just not with the runtime override).
 */
export class ProviderBehaviourStore {
  constructor(
    private readonly redis: Redis,
    private readonly defaults: ProviderBehaviour,
    private readonly warn: (message: string, error: unknown) => void = () => undefined,
  ) {}

  async current(): Promise<ProviderBehaviourReading> {
    if (this.redis.status !== 'ready') return { ...this.defaults, source: 'defaults' };
    try {
      const stored = await withTimeout(() => this.redis.hgetall(PROVIDER_BEHAVIOUR_KEY), READ_TIMEOUT_MS);
      const parsed = providerBehaviourSchema.partial().safeParse({
        ...(stored.failureRate !== undefined && { failureRate: Number(stored.failureRate) }),
        ...(stored.latencyMs !== undefined && { latencyMs: Number(stored.latencyMs) }),
      });
      if (!parsed.success || Object.keys(parsed.data).length === 0)
        return { ...this.defaults, source: 'defaults' };
      return { ...this.defaults, ...parsed.data, source: 'redis' };
    } catch (error) {
      this.warn('provider behaviour unreadable in Redis: using the env defaults', error);
      return { ...this.defaults, source: 'defaults' };
    }
  }

  async update(change: ProviderBehaviourChange): Promise<ProviderBehaviourReading> {
    try {
      await withTimeout(
        () => this.redis.hset(PROVIDER_BEHAVIOUR_KEY, change as Record<string, number>),
        WRITE_TIMEOUT_MS,
      );
    } catch (error) {
      this.warn('provider behaviour could not be stored in Redis', error);
      throw new ApiError('SERVICE_UNAVAILABLE', 'The provider settings store (Redis) is unreachable');
    }
    return this.current();
  }
}
