import { Body, Controller, Headers, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiError, validationFailed } from '@shop/contracts';
import {
  AuthenticatedGuard,
  CurrentUser,
  FORWARDED_PREFIX_HEADER,
  publicPath,
  zodBody,
  type CallerIdentity,
} from '@shop/service-kit';
import { PlaceOrderHandler } from './place-order.handler';
import {
  IdempotencyKeySchema,
  PlaceOrderBodySchema,
  type PlaceOrderAccepted,
  type PlaceOrderBody,
} from './place-order.dto';

@Controller('orders')
export class PlaceOrderController {
  constructor(@Inject(PlaceOrderHandler) private readonly handler: PlaceOrderHandler) {}

  /** 202 with the order id and where to watch it; the saga decides the rest. */
  @Post()
  @HttpCode(202)
  @UseGuards(AuthenticatedGuard)
  async place(
    @Body(zodBody(PlaceOrderBodySchema)) body: PlaceOrderBody,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Headers(FORWARDED_PREFIX_HEADER) forwardedPrefix: string | undefined,
    @CurrentUser() user: CallerIdentity,
  ): Promise<PlaceOrderAccepted> {
    const key = IdempotencyKeySchema.safeParse(rawKey);
    if (!key.success) {
      const { error } = validationFailed(
        [{ path: 'Idempotency-Key', message: key.error.issues[0]?.message ?? 'is not valid' }],
        'The Idempotency-Key header is missing or not valid',
      );
      throw new ApiError(error.code, error.message, error.details);
    }
    const record = await this.handler.execute({ customerId: user.userId, idempotencyKey: key.data, body });
    // Always a 202 (the only answer ever stored); its link as the caller writes it (through the gateway: /api/...).
    return { ...record.response, statusUrl: publicPath(forwardedPrefix, record.response.statusUrl) };
  }
}
