import { join } from 'node:path';
import { pendingSchemaChanges } from '@shop/persistence';

it('has a migration for every schema change', async () => {
  expect(await pendingSchemaChanges(join(__dirname, '../prisma'))).toBeNull();
});
