import type { UserView } from '../register/register.dto';

/** What the API shows of an account (never its password hash). */
export function toUserView(user: {
  id: string;
  email: string;
  name: string;
  roles: string[];
  createdAt: Date;
}): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    createdAt: user.createdAt.toISOString(),
  };
}
