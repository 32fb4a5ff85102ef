import { rehydrate } from './rehydrate';
import {
  accountHistory,
  evolveAccount,
  initialAccount,
  type AccountEvent,
} from './test-support/bank-account';

describe('rehydrate', () => {
  it('returns the initial state when there are no events', () => {
    expect(rehydrate(initialAccount, evolveAccount, [])).toBe(initialAccount);
  });

  it('applies events in order', () => {
    const events: AccountEvent[] = [
      { type: 'AccountOpened', payload: { owner: 'Ada', overdraftLimit: 0 } },
      { type: 'MoneyDeposited', payload: { amount: 10_000, reference: 'a' } },
      { type: 'InterestApplied', payload: { ratePercent: 10 } },
      { type: 'MoneyDeposited', payload: { amount: 5_000, reference: 'b' } },
    ];
    expect(rehydrate(initialAccount, evolveAccount, events)).toMatchObject({
      owner: 'Ada',
      balanceCents: 16_000,
      recentReferences: ['a', 'b'],
      eventsApplied: 4,
    });
    const reordered = [events[0]!, events[1]!, events[3]!, events[2]!];
    expect(rehydrate(initialAccount, evolveAccount, reordered).balanceCents).toBe(16_500);
  });

  it('replaying a prefix and then the rest equals replaying everything (the snapshot property)', () => {
    const history = accountHistory(40);
    const full = rehydrate(initialAccount, evolveAccount, history);
    for (const cut of [0, 1, 17, 39, 40]) {
      const prefix = rehydrate(initialAccount, evolveAccount, history.slice(0, cut));
      const viaJson = JSON.parse(JSON.stringify(prefix)) as typeof prefix; // what a snapshot stores
      expect(rehydrate(viaJson, evolveAccount, history.slice(cut))).toEqual(full);
    }
  });

  it('does not mutate the initial state and accepts any iterable', () => {
    const frozenInitial = Object.freeze({ ...initialAccount, recentReferences: Object.freeze([]) as never });
    function* events(): Generator<AccountEvent> {
      yield { type: 'MoneyDeposited', payload: { amount: 1, reference: 'x' } };
    }
    expect(rehydrate(frozenInitial, evolveAccount, events()).balanceCents).toBe(1);
    expect(frozenInitial.balanceCents).toBe(0);
  });
});
