import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { RolesGuard, uuidParam, zodParam, zodQuery } from '@shop/service-kit';
import { z } from 'zod';
import { ParkedSagasHandler, type SagaView } from './parked-sagas.handler';

const SAGA_STATUSES = [
  'RESERVING_STOCK',
  'AUTHORIZING_PAYMENT',
  'CAPTURING_PAYMENT',
  'COMPENSATING',
  'COMPLETED',
  'CANCELLED',
  'PARKED',
] as const;

const ListSagasQuerySchema = z.strictObject({
  status: z.enum(SAGA_STATUSES).default('PARKED'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
type ListSagasQuery = z.output<typeof ListSagasQuerySchema>;

@Controller()
@UseGuards(RolesGuard('admin'))
export class ParkedSagasController {
  constructor(@Inject(ParkedSagasHandler) private readonly handler: ParkedSagasHandler) {}

  /** `GET /admin/sagas?status=PARKED&limit=100`: sagas in a status, most recently changed first. */
  @Get('admin/sagas')
  list(@Query(zodQuery(ListSagasQuerySchema)) query: ListSagasQuery): Promise<{ items: SagaView[] }> {
    return this.handler.list(query.status, query.limit);
  }

  /** Resume a PARKED saga after fixing what kept failing: 202, 409 unless parked, 404 unknown. */
  @Post('orders/:id/resume')
  @HttpCode(202)
  resume(@Param('id', zodParam(uuidParam)) id: string): Promise<SagaView> {
    return this.handler.resume(id.toLowerCase());
  }
}
