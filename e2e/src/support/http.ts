import { signIdentity } from '@shop/contracts';

export { callJson as call, type Answer, type LooseJson } from '@shop/testing';

export function identityHeaders(
  secret: string,
  userId: string,
  roles: string[] = ['customer'],
): Record<string, string> {
  return signIdentity({ userId, roles }, secret);
}
