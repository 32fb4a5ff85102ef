import { acceptsFencingToken } from './fencing';
import { leaseValidUntil } from './lease';
import { lockKeys } from './lock-keys';

describe('acceptsFencingToken', () => {
  it('accepts a token newer than or equal to the highest seen', () => {
    expect(acceptsFencingToken(7, 8)).toBe(true);
    expect(acceptsFencingToken(7, 7)).toBe(true);
  });

  it('rejects a token older than the highest seen (a stale holder)', () => {
    expect(acceptsFencingToken(8, 7)).toBe(false);
  });

  it('accepts any token when nothing was seen yet', () => {
    expect(acceptsFencingToken(null, 1)).toBe(true);
    expect(acceptsFencingToken(undefined, 1)).toBe(true);
  });
});

describe('leaseValidUntil', () => {
  it('ends before the TTL measured from the moment the command was sent', () => {
    expect(leaseValidUntil(1_000, 10_000)).toBe(1_000 + 10_000 - 102);
    expect(leaseValidUntil(1_000, 100)).toBeLessThan(1_100);
  });
});

describe('lockKeys', () => {
  it('puts the lock and its fencing counter in one cluster slot', () => {
    expect(lockKeys('lock', 'saga-timeouts')).toEqual({
      lock: 'lock:{saga-timeouts}',
      fence: 'lock:{saga-timeouts}:fence',
    });
  });
});
