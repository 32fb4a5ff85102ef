import { Controller, Headers, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  AuthenticatedGuard,
  CurrentUser,
  FORWARDED_PREFIX_HEADER,
  publicPath,
  uuidParam,
  zodParam,
  type CallerIdentity,
} from '@shop/service-kit';
import { CancelOrderHandler, type CancelAccepted } from './cancel-order.handler';

@Controller('orders')
export class CancelOrderController {
  constructor(@Inject(CancelOrderHandler) private readonly handler: CancelOrderHandler) {}

  /** 202 accepted (compensations follow), 409 past PENDING, 404 unknown, 403 another customer's order. */
  @Post(':id/cancel')
  @HttpCode(202)
  @UseGuards(AuthenticatedGuard)
  async cancel(
    @Param('id', zodParam(uuidParam)) id: string,
    @Headers(FORWARDED_PREFIX_HEADER) forwardedPrefix: string | undefined,
    @CurrentUser() user: CallerIdentity,
  ): Promise<CancelAccepted> {
    const accepted = await this.handler.execute(id.toLowerCase(), user);
    return { ...accepted, statusUrl: publicPath(forwardedPrefix, accepted.statusUrl) };
  }
}
