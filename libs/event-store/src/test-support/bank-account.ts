/**
 * A small event-sourced bank account for the tests. Its evolve function is
 * order-sensitive on purpose (interest compounds on the current balance, a
 * freeze changes how later withdrawals apply), so a replay that drops,
 * repeats or reorders events ends in a different state.
 */
export type AccountEvent =
  | { type: 'AccountOpened'; payload: { owner: string; overdraftLimit: number } }
  | { type: 'MoneyDeposited'; payload: { amount: number; reference: string } }
  | { type: 'MoneyWithdrawn'; payload: { amount: number; reference: string } }
  | { type: 'InterestApplied'; payload: { ratePercent: number } }
  | { type: 'AccountFrozen'; payload: { reason: string } }
  | { type: 'AccountUnfrozen'; payload: Record<string, never> };

export interface AccountState {
  owner: string | null;
  balanceCents: number;
  overdraftLimit: number;
  frozen: boolean;
  /** Withdrawals that arrived while frozen: recorded, not applied. */
  refusedWithdrawals: number;
  /** The last three references, newest last. */
  recentReferences: string[];
  eventsApplied: number;
}

export const initialAccount: AccountState = {
  owner: null,
  balanceCents: 0,
  overdraftLimit: 0,
  frozen: false,
  refusedWithdrawals: 0,
  recentReferences: [],
  eventsApplied: 0,
};

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  const next = { ...state, eventsApplied: state.eventsApplied + 1 };
  switch (event.type) {
    case 'AccountOpened':
      return { ...next, owner: event.payload.owner, overdraftLimit: event.payload.overdraftLimit };
    case 'MoneyDeposited':
      return {
        ...next,
        balanceCents: state.balanceCents + event.payload.amount,
        recentReferences: [...state.recentReferences, event.payload.reference].slice(-3),
      };
    case 'MoneyWithdrawn':
      if (state.frozen) return { ...next, refusedWithdrawals: state.refusedWithdrawals + 1 };
      return {
        ...next,
        balanceCents: state.balanceCents - event.payload.amount,
        recentReferences: [...state.recentReferences, event.payload.reference].slice(-3),
      };
    case 'InterestApplied':
      return {
        ...next,
        balanceCents: Math.round(state.balanceCents * (1 + event.payload.ratePercent / 100)),
      };
    case 'AccountFrozen':
      return { ...next, frozen: true };
    case 'AccountUnfrozen':
      return { ...next, frozen: false };
  }
}

/** A deterministic, varied history of `count` events (opening first). */
export function accountHistory(count: number): AccountEvent[] {
  const events: AccountEvent[] = [{ type: 'AccountOpened', payload: { owner: 'Ada', overdraftLimit: 500 } }];
  for (let i = 1; events.length < count; i++) {
    if (i % 7 === 0) events.push({ type: 'InterestApplied', payload: { ratePercent: 1 + (i % 3) } });
    else if (i % 11 === 0) events.push({ type: 'AccountFrozen', payload: { reason: `check ${i}` } });
    else if (i % 11 === 2 && i > 11) events.push({ type: 'AccountUnfrozen', payload: {} });
    else if (i % 3 === 0)
      events.push({ type: 'MoneyWithdrawn', payload: { amount: 700 + i, reference: `w${i}` } });
    else events.push({ type: 'MoneyDeposited', payload: { amount: 1_000 + i * 13, reference: `d${i}` } });
  }
  return events;
}
