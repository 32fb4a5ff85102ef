import { join } from 'node:path';

/**
 * The Prisma schema fragments of the outbox and inbox tables. A service adds
 * them to its schema (or migration diff); tests create them with
 * `migrateToSchema(url, [OUTBOX_SCHEMA, INBOX_SCHEMA])` from @shop/persistence.
 */
export const OUTBOX_SCHEMA = join(__dirname, '../prisma/outbox.prisma');
export const INBOX_SCHEMA = join(__dirname, '../prisma/inbox.prisma');
