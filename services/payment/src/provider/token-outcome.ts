import { PAYMENT_TOKEN_PATTERN } from '@shop/contracts';

export type TokenOutcome = 'APPROVED' | 'DECLINED' | 'INSUFFICIENT_FUNDS';

/**
 * How the simulated provider answers an authorization, by card token:
 * `tok_ok` approves, `tok_declined` and `tok_insufficient_funds` decline with
 * their reason, any other well-formed token is declined.
 */
export function tokenOutcome(token: string): TokenOutcome {
  if (!PAYMENT_TOKEN_PATTERN.test(token)) throw new RangeError('not a well-formed payment token');
  switch (token) {
    case 'tok_ok':
      return 'APPROVED';
    case 'tok_insufficient_funds':
      return 'INSUFFICIENT_FUNDS';
    default:
      return 'DECLINED';
  }
}
