import type { OnModuleDestroy } from '@nestjs/common';
import {
  breakerSnapshot,
  createBreaker,
  isBreakerRejection,
  type BreakerSnapshot,
  type ResilienceLogger,
} from '@shop/resilience';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import type {
  AuthorizeAnswer,
  AuthorizeCall,
  OperationAnswer,
  SettleCall,
  SimulatedProvider,
  VoidAnswer,
  VoidCall,
} from './simulated-provider';

export const PROVIDER_BREAKER_NAME = 'payment-provider';

/**
 * Why a provider call gave no answer, which decides what the caller may conclude:
 * - `rejected`: the provider refused the request (4xx): it did nothing;
 * - `unavailable`: it was not asked (breaker open) or said 503 before working: it did nothing;
 * - `ambiguous`: no answer in time (or an unknown error): it may have done it.
 */
export type ProviderFailure = 'rejected' | 'unavailable' | 'ambiguous';

export type ProviderResult<T> =
  { ok: true; value: T } | { ok: false; failure: ProviderFailure; message: string };

export interface ProviderClientSettings {
  timeoutMs: number;
  /** The longest a handler may wait for the provider: the saga's reply timeout has to cover two calls. */
  deadlineMs: number;
  volumeThreshold: number;
  errorThresholdPercentage: number;
  resetTimeoutMs: number;
  logger: ResilienceLogger;
}

type RemoteCall = (signal: AbortSignal) => Promise<unknown>;
type ProviderBreaker = ReturnType<typeof createBreaker<[RemoteCall], unknown>>;

/**
 * The service's only way to the provider: every call goes through ONE
 * opossum breaker (createBreaker: per-call timeout, volume threshold,
 * breaker_state metric, state changes logged). Failures come back as values,
 * classified, so each handler states what it does with each kind.
 */
export class PaymentProviderClient implements OnModuleDestroy {
  readonly breaker: ProviderBreaker;

  constructor(
    private readonly provider: SimulatedProvider,
    settings: ProviderClientSettings,
  ) {
    this.breaker = createBreaker(PROVIDER_BREAKER_NAME, (signal, remote: RemoteCall) => remote(signal), {
      timeoutMs: settings.timeoutMs,
      deadlineMs: settings.deadlineMs,
      volumeThreshold: settings.volumeThreshold,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      resetTimeoutMs: settings.resetTimeoutMs,
      logger: settings.logger,
    });
  }

  authorize(call: AuthorizeCall): Promise<ProviderResult<AuthorizeAnswer>> {
    return this.call(() => this.provider.authorize(call));
  }

  capture(call: SettleCall): Promise<ProviderResult<OperationAnswer>> {
    return this.call(() => this.provider.capture(call));
  }

  void(call: VoidCall): Promise<ProviderResult<VoidAnswer>> {
    return this.call(() => this.provider.void(call));
  }

  refund(call: SettleCall): Promise<ProviderResult<OperationAnswer>> {
    return this.call(() => this.provider.refund(call));
  }

  snapshot(): BreakerSnapshot {
    return breakerSnapshot(this.breaker);
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }

  private async call<T>(remote: () => Promise<T>): Promise<ProviderResult<T>> {
    try {
      return { ok: true, value: (await this.breaker.fire(remote)) as T };
    } catch (error) {
      return {
        ok: false,
        failure: classify(error),
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }
}

export function classify(error: unknown): ProviderFailure {
  if (error instanceof ProviderRejectedError) return 'rejected';
  if (error instanceof ProviderUnavailableError || isBreakerRejection(error)) return 'unavailable';
  return 'ambiguous';
}

/** The reason text of a *Failed reply for a provider failure. */
export function failureReason(result: { failure: ProviderFailure; message: string }): string {
  switch (result.failure) {
    case 'rejected':
      return `PROVIDER_REJECTED: ${result.message}`;
    case 'unavailable':
      return 'PROVIDER_UNAVAILABLE';
    case 'ambiguous':
      return 'PROVIDER_TIMEOUT';
  }
}
