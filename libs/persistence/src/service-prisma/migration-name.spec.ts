import { migrationSlug, migrationTimestamp, nextMigrationFolder } from './migration-name';

describe('migration folder names', () => {
  it('turns a description into a snake_case name', () => {
    expect(migrationSlug('Add order index')).toBe('add_order_index');
    expect(migrationSlug('addOrderIndex')).toBe('add_order_index');
    expect(migrationSlug('  v2: outbox -> inbox! ')).toBe('v2_outbox_inbox');
    expect(() => migrationSlug(' ?! ')).toThrow(/not a usable migration name/);
  });

  it('stamps the UTC time to the second', () => {
    expect(migrationTimestamp(new Date('2026-11-21T08:05:09.999Z'))).toBe('20261121080509');
  });

  it('uses the current time when it sorts after every existing folder', () => {
    const now = new Date('2026-11-21T08:05:09Z');
    expect(nextMigrationFolder('init', [], now)).toBe('20261121080509_init');
    expect(nextMigrationFolder('next', ['20261121080508_init'], now)).toBe('20261121080509_next');
  });

  it('moves one second past the latest folder when the clock does not', () => {
    const now = new Date('2026-11-21T08:05:09Z');
    expect(nextMigrationFolder('b', ['20261121080509_a'], now)).toBe('20261121080510_b');
    expect(nextMigrationFolder('b', ['20261231235959_a', '20261121080509_x'], now)).toBe('20270101000000_b');
  });
});
