import { z } from 'zod';
import { defineMessage } from '../messages/message-definition';
import { TOPICS } from '../topics';

/** The roles an account can hold. */
export const USER_ROLES = ['customer', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * A new account exists (self-registered, or the admin seeded from
 * configuration). Key and aggregate id: the user id. Carries no secrets.
 */
export const UserRegisteredV1 = defineMessage({
  type: 'UserRegistered',
  version: 1,
  topic: TOPICS.userEvents.name,
  schema: z.object({
    userId: z.uuid(),
    email: z.email(),
    name: z.string().min(1),
    roles: z.array(z.enum(USER_ROLES)).min(1),
    registeredAt: z.iso.datetime({ offset: true }),
  }),
});

/** Every message the user service publishes, for its registry and its consumers'. */
export const USER_MESSAGES = [UserRegisteredV1] as const;
