import { migrateToSchema } from '@shop/persistence';
import { EVENT_STORE_SCHEMA_PATH } from '../schema';

/** Creates the event store's tables in a fresh test database (pass to createTestEnvironment). */
export const migrateEventStore = (databaseUrl: string): Promise<void> =>
  migrateToSchema(databaseUrl, [EVENT_STORE_SCHEMA_PATH]);

/** A promise the test opens by hand, to hold a transaction at a chosen point. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
