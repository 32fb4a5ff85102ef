import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { zodBody } from '@shop/service-kit';
import type { UserConfig } from '../config';
import { USER_CONFIG } from '../infrastructure/tokens';
import type { TokenPair } from '../sessions/session-issuer';
import { clientAddress } from './client-address';
import { LoginHandler, LoginThrottledError } from './login.handler';
import { LoginSchema, type LoginRequest } from './login.dto';

type HttpRequest = { ip: string; headers: Record<string, string | string[] | undefined> };
type HttpReply = { header(name: string, value: string): unknown };

@Controller('auth')
export class LoginController {
  constructor(
    @Inject(LoginHandler) private readonly handler: LoginHandler,
    @Inject(USER_CONFIG) private readonly config: UserConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(
    @Body(zodBody(LoginSchema)) body: LoginRequest,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) reply: HttpReply,
  ): Promise<TokenPair> {
    try {
      return await this.handler.login(body, clientAddress(request, this.config.LOGIN_TRUST_FORWARDED_FOR));
    } catch (err) {
      // The kit's error filter answers on this same reply, so the header stays.
      if (err instanceof LoginThrottledError) reply.header('retry-after', String(err.retryAfterSeconds));
      throw err;
    }
  }
}
