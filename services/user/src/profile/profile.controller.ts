import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiError } from '@shop/contracts';
import { AuthenticatedGuard, CurrentUser, type CallerIdentity } from '@shop/service-kit';
import type { PrismaClient } from '../generated/prisma/client';
import { PRISMA } from '../infrastructure/tokens';
import type { UserView } from '../register/register.dto';
import { toUserView } from './user-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The caller's own account; who the caller is comes from the gateway's signed identity headers. */
@Controller('users')
export class ProfileController {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  @Get('me')
  @UseGuards(AuthenticatedGuard)
  async me(@CurrentUser() caller: CallerIdentity): Promise<UserView> {
    // Identities are signed by the gateway, but only ids of this service are UUIDs.
    const user = UUID.test(caller.userId)
      ? await this.prisma.user.findUnique({ where: { id: caller.userId } })
      : null;
    if (!user) throw new ApiError('NOT_FOUND', 'The account no longer exists');
    return toUserView(user);
  }
}
