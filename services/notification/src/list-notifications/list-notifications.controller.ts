import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { AuthenticatedGuard, CurrentUser, zodQuery, type CallerIdentity } from '@shop/service-kit';
import { ListNotificationsHandler } from './list-notifications.handler';
import { ListNotificationsQuerySchema, type ListNotificationsQuery } from './list-notifications.query';
import type { NotificationPage } from './notification-view';

@Controller('notifications')
export class ListNotificationsController {
  constructor(@Inject(ListNotificationsHandler) private readonly handler: ListNotificationsHandler) {}

  /** The caller's own notifications: `GET /notifications?limit=20&cursor=...` (401 without identity). */
  @Get()
  @UseGuards(AuthenticatedGuard)
  list(
    @Query(zodQuery(ListNotificationsQuerySchema)) query: ListNotificationsQuery,
    @CurrentUser() user: CallerIdentity,
  ): Promise<NotificationPage> {
    return this.handler.execute(user.userId, query);
  }
}
