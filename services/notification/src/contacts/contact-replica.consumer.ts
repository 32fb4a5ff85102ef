import { Inject, Injectable } from '@nestjs/common';
import type { MessageOf, UserRegisteredV1 } from '@shop/contracts';
import { handleOnce, type MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { NotificationDatabase } from '../infrastructure/notification-database';

/**
 * Keeps the replica of customer contacts (email, name) the email channel
 * needs, from UserRegistered on user.events. Emails waiting for their
 * contact (UserRegistered late) become sendable as soon as it commits: the
 * delivery worker joins contacts when it claims.
 */
@Injectable()
export class ContactReplicaConsumer {
  constructor(@Inject(NotificationDatabase) private readonly database: NotificationDatabase) {}

  @HandleMessage('UserRegistered')
  async onRegistered(event: MessageOf<typeof UserRegisteredV1>, context: MessageContext): Promise<void> {
    const { userId, email, name } = event.payload;
    await handleOnce(this.database.sql, context.groupId, event, async (tx) => {
      await tx.query(
        `INSERT INTO contacts (user_id, email, name, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, updated_at = now()`,
        [userId, email, name],
      );
    });
  }
}
