/**
 * Why appends take one lock per store.
 *
 * `position` comes from a sequence, and a sequence hands out numbers in the
 * order transactions ASK, not the order they COMMIT. Without a rule, a
 * transaction could take position 7, stay open (its withinTransaction hook
 * is slow), while position 8 commits; a projection reading `position > 6`
 * sees 8, moves its checkpoint to 8, and never sees 7.
 *
 * Every append therefore takes this transaction-scoped advisory lock right
 * before inserting its events. Postgres makes a transaction visible before it
 * releases its locks, so the next appender draws its positions only after the
 * previous one is visible (or rolled back): positions become visible in
 * increasing order, and `position > checkpoint` is a complete reader.
 * The price: appends to one store commit one at a time (see the benchmark).
 */
export const APPEND_LOCK_SQL =
  // Two-key form: its key space is separate from single-bigint advisory locks (e.g. Prisma's).
  // 1163284052 = 'EVNT' in ASCII; 1 = appends. `SELECT 1 FROM`: a readable column, since
  // Prisma's raw queries (prismaSqlClient) cannot deserialize the function's void result.
  'SELECT 1 AS locked FROM pg_advisory_xact_lock(1163284052, 1)';
