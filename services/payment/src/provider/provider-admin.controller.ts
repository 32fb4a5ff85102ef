import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import type { BreakerSnapshot } from '@shop/resilience';
import { RolesGuard, zodBody } from '@shop/service-kit';
import {
  ProviderBehaviourStore,
  providerBehaviourChangeSchema,
  type ProviderBehaviourChange,
  type ProviderBehaviourReading,
} from './provider-behaviour';
import { PaymentProviderClient } from './provider-client';

export interface ProviderAdminView extends ProviderBehaviourReading {
  /** This instance's breaker in front of the provider (each instance has its own). */
  breaker: BreakerSnapshot;
}

/**
 * Chaos and test controls of the simulated provider (admin only). The
 * behaviour is stored in Redis, so every instance's provider behaves alike.
 */
@Controller('payments/admin/provider')
@UseGuards(RolesGuard('admin'))
export class ProviderAdminController {
  constructor(
    @Inject(ProviderBehaviourStore) private readonly behaviour: ProviderBehaviourStore,
    @Inject(PaymentProviderClient) private readonly client: PaymentProviderClient,
  ) {}

  @Get()
  async read(): Promise<ProviderAdminView> {
    return { ...(await this.behaviour.current()), breaker: this.client.snapshot() };
  }

  /** `{ failureRate?: 0..1, latencyMs?: 0..60000 }`, at least one; 503 when Redis is unreachable. */
  @Put()
  async change(
    @Body(zodBody(providerBehaviourChangeSchema)) change: ProviderBehaviourChange,
  ): Promise<ProviderAdminView> {
    return { ...(await this.behaviour.update(change)), breaker: this.client.snapshot() };
  }
}
