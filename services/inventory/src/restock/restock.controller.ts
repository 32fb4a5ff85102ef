import { Body, Controller, Headers, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { RolesGuard, uuidParam, zodBody, zodParam, ZodValidationPipe } from '@shop/service-kit';
import type { StockView } from '../read-stock/stock-view';
import { IdempotencyKeySchema, RestockBodySchema, type RestockBody } from './restock.dto';
import { RestockHandler } from './restock.handler';

const idempotencyKeyPipe = new ZodValidationPipe(IdempotencyKeySchema);

@Controller('inventory')
export class RestockController {
  constructor(@Inject(RestockHandler) private readonly handler: RestockHandler) {}

  @Post(':productId/restock')
  @HttpCode(200)
  @UseGuards(RolesGuard('admin'))
  restock(
    @Param('productId', zodParam(uuidParam)) productId: string,
    @Body(zodBody(RestockBodySchema)) body: RestockBody,
    @Headers('idempotency-key') rawKey: string | undefined,
  ): Promise<StockView> {
    // Nest's @Headers takes no pipe: validated here, answering the same 400 body as the other inputs.
    const idempotencyKey = idempotencyKeyPipe.transform(rawKey, { type: 'custom', data: 'Idempotency-Key' });
    return this.handler.execute(productId, body.quantity, idempotencyKey);
  }
}
