import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { zodBody } from '@shop/service-kit';
import { toUserView } from '../profile/user-view';
import { RegisterUserHandler } from './register-user.handler';
import { RegisterSchema, type RegisterRequest, type UserView } from './register.dto';

@Controller('users')
export class RegisterController {
  constructor(@Inject(RegisterUserHandler) private readonly handler: RegisterUserHandler) {}

  @Post('register')
  @HttpCode(201)
  async register(@Body(zodBody(RegisterSchema)) request: RegisterRequest): Promise<UserView> {
    return toUserView(await this.handler.register(request));
  }
}
