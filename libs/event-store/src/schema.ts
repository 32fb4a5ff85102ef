import { join } from 'node:path';

/**
 * The Prisma schema fragment with the event store's tables (models only).
 * Services add it to their schema; tests pass it to migrateToSchema.
 */
export const EVENT_STORE_SCHEMA_PATH = join(__dirname, '..', 'prisma', 'event-store.prisma');
