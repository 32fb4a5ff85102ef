import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import {
  appliedMigrationNames,
  copyDemoService,
  DEMO_SERVICE_TABLES,
  tableNames,
} from '../../libs/persistence/test-fixtures/fixtures';
import { checkServiceMigrations } from './check';
import { generateServiceClients } from './generate';
import { migrateServices } from './migrate';
import { createServiceMigration } from './migrate-create';

// The fixture service copied as services/order of a scratch services folder;
// its database is a fresh test database named by ORDER_DATABASE_URL.
describe('db tools on a services folder', () => {
  let servicesDir: string;
  let db: TestDatabase;
  let lines: string[];
  const options = () => ({
    servicesDir,
    env: { ...process.env, ORDER_DATABASE_URL: db.url },
    log: (line: string) => lines.push(line),
  });

  beforeEach(async () => {
    servicesDir = copyDemoService('order').root;
    db = await createTestDatabase('db-tools');
    lines = [];
  });
  afterEach(async () => {
    rmSync(servicesDir, { recursive: true, force: true });
    await db.drop();
  });

  it('check flags the missing migration, migrate:create writes it, migrate applies it once', async () => {
    expect(await checkServiceMigrations(undefined, options())).toEqual({
      order: expect.stringContaining('CREATE TABLE "widget"'),
    });

    const name = await createServiceMigration('order', 'init', options());
    expect(name).toMatch(/^\d{14}_init$/);
    expect(await checkServiceMigrations(undefined, options())).toEqual({});
    expect(await createServiceMigration('order', 'again', options())).toBeNull();

    expect(await migrateServices(undefined, options())).toEqual({ order: [name] });
    expect(await tableNames(db.url)).toEqual(DEMO_SERVICE_TABLES);
    expect(await appliedMigrationNames(db.url)).toEqual([name]);

    expect(await migrateServices('order', options())).toEqual({ order: [] });
    expect(await appliedMigrationNames(db.url)).toEqual([name]);
    expect(lines).toContain(`[order] applied 1 migration: ${name}`);
    expect(lines.at(-1)).toBe('[order] database schema up to date');
  });

  it('names what it cannot migrate', async () => {
    await expect(migrateServices('payment', options())).rejects.toThrow(
      "Service 'payment' has no prisma/migrations folder (services with one: none)",
    );
    await createServiceMigration('order', 'init', options());
    cpSync(join(servicesDir, 'order'), join(servicesDir, 'demo'), { recursive: true });
    await expect(migrateServices(undefined, options())).rejects.toThrow(
      'services/demo is not in the service catalog',
    );
  });

  it('generate puts the client where the service schema says', async () => {
    const generated = await generateServiceClients(undefined, options());
    const output = join(servicesDir, 'order', 'src', 'generated', 'prisma');
    expect(generated).toEqual({ order: [output] });
    expect(existsSync(join(output, 'client.ts'))).toBe(true);
    expect(existsSync(join(output, 'models', 'AuditLog.ts'))).toBe(true); // the fragment's model too
  });
});
