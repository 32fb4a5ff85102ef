import { createdAt, uniqueName } from './unique-name';

describe('uniqueName', () => {
  it('makes distinct, identifier-safe names that remember their creation time', () => {
    const before = Date.now();
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('shoptest', 'Outbox Relay/Crash')));
    expect(names.size).toBe(100);
    for (const name of names) {
      expect(name).toMatch(/^shoptest_outbox_relay_crash_[0-9a-z]+_[0-9a-f]{6}$/);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(createdAt(name)).toBeGreaterThanOrEqual(before);
    }
  });

  it('finds no creation time in names it did not make', () => {
    expect(createdAt('postgres')).toBeUndefined();
  });
});
