import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { zodBody } from '@shop/service-kit';
import type { TokenPair } from '../sessions/session-issuer';
import { RefreshTokenSchema, type RefreshTokenRequest } from './refresh-token.dto';
import { RefreshSessionHandler } from './refresh-session.handler';

@Controller('auth')
export class RefreshController {
  constructor(@Inject(RefreshSessionHandler) private readonly handler: RefreshSessionHandler) {}

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body(zodBody(RefreshTokenSchema)) body: RefreshTokenRequest): Promise<TokenPair> {
    return this.handler.refresh(body.refreshToken);
  }

  /** 204 whether or not the token was known: logging out twice is fine. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Body(zodBody(RefreshTokenSchema)) body: RefreshTokenRequest): Promise<void> {
    await this.handler.revoke(body.refreshToken);
  }
}
