import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import {
  appliedMigrationNames,
  copyDemoService,
  DEMO_SERVICE_TABLES,
  schemaCatalog,
  tableNames,
} from '../../test-fixtures/fixtures';
import { LOCKFILE_CONTENT, migrateToSchema } from '../migrations';
import { resolveServiceSchema } from './compose';
import { createMigration, pendingSchemaChanges } from './create-migration';
import { prismaLayout } from './layout';
import { migrateDatabase, migrateOnStart, migrationsOf } from './migrate-database';

const JAN_1 = new Date('2026-01-01T00:00:00Z');

describe('per-service migrations (fixture service: own model + library fragment)', () => {
  let root: string;
  let prismaDir: string;
  let migrationsDir: string;
  const databases: TestDatabase[] = [];
  const database = async (label: string) => {
    const db = await createTestDatabase(label);
    databases.push(db);
    return db.url;
  };

  beforeEach(() => {
    ({ root, prismaDir } = copyDemoService());
    migrationsDir = prismaLayout(prismaDir).migrationsDir;
  });
  afterEach(async () => {
    rmSync(root, { recursive: true, force: true });
    await Promise.all(databases.splice(0).map((db) => db.drop()));
  });

  const editSchema = (edit: (schema: string) => string) => {
    const file = prismaLayout(prismaDir).schemaFile;
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
  };

  it('creates the first migration offline from the composed schema, with lockfile and snapshot', async () => {
    expect(await pendingSchemaChanges(prismaDir)).toContain('CREATE TABLE "audit_log"');

    const first = await createMigration({ prismaDir, name: 'Init schema', now: JAN_1 });

    expect(first?.name).toBe('20260101000000_init_schema');
    const sql = readFileSync(join(migrationsDir, '20260101000000_init_schema', 'migration.sql'), 'utf8');
    expect(sql).toBe(first?.sql);
    expect(sql).toContain('CREATE TABLE "widget"');
    expect(sql).toContain('CREATE TABLE "outbox"'); // from @shop/messaging's fragment
    expect(sql).toContain('CREATE TABLE "audit_log"'); // from the fixture library fragment
    expect(readFileSync(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(LOCKFILE_CONTENT);
    const snapshot = readFileSync(prismaLayout(prismaDir).snapshotFile, 'utf8');
    expect(snapshot).toContain(
      '// ---- @shop/persistence/test-fixtures/demo-lib/prisma/audit-log.prisma ----',
    );
    expect(snapshot).toContain('model Widget');
    expect(await pendingSchemaChanges(prismaDir)).toBeNull();
    expect(await createMigration({ prismaDir, name: 'nothing' })).toBeNull();
  });

  it('migrates an empty database once, then finds nothing to do', async () => {
    await createMigration({ prismaDir, name: 'init', now: JAN_1 });
    const url = await database('svc-migrate');

    expect(await migrateDatabase({ databaseUrl: url, migrationsDir })).toEqual(['20260101000000_init']);
    expect(await tableNames(url)).toEqual(DEMO_SERVICE_TABLES);
    expect(await appliedMigrationNames(url)).toEqual(['20260101000000_init']);

    expect(await migrateDatabase({ databaseUrl: url, migrationsDir })).toEqual([]);
    expect(await appliedMigrationNames(url)).toEqual(['20260101000000_init']);
  });

  it('migrates a service at start-up by name, from its catalog database URL', async () => {
    rmSync(root, { recursive: true, force: true });
    ({ root, prismaDir } = copyDemoService('order')); // services/order, a service of the catalog
    const { name } = (await createMigration({ prismaDir, name: 'init' }))!;
    const url = await database('svc-start');
    const lines: string[] = [];
    const options = {
      env: { ORDER_DATABASE_URL: url },
      servicesDir: root,
      log: (l: string) => lines.push(l),
    };

    expect(await migrateOnStart('order', options)).toEqual([name]);
    expect(await migrateOnStart('order', options)).toEqual([]);
    expect(lines).toEqual([`[order] applied 1 migration: ${name}`, '[order] database schema up to date']);
    expect(await tableNames(url)).toEqual(DEMO_SERVICE_TABLES);
    await expect(migrateOnStart({ databaseUrl: url, migrationsDir: join(root, 'nowhere') })).rejects.toThrow(
      /does not exist/,
    );
  });

  it('turns a schema edit into a second migration that brings a migrated database to the new schema', async () => {
    await createMigration({ prismaDir, name: 'init', now: JAN_1 });
    const migrated = await database('svc-evolve');
    await migrationsOf({ migrationsDir })(migrated);

    editSchema((schema) =>
      schema
        .replace('name      String   @unique', 'name      String   @unique\n  color     String?')
        .concat(
          '\nmodel Gadget {\n  id       Int    @id\n  widgetId Int\n\n  @@index([widgetId])\n  @@map("gadget")\n}\n',
        ),
    );
    const pending = await pendingSchemaChanges(prismaDir);
    expect(pending).toContain('ALTER TABLE "widget" ADD COLUMN     "color" TEXT');
    expect(pending).toContain('CREATE TABLE "gadget"');

    const second = await createMigration({ prismaDir, name: 'add gadgets', now: JAN_1 });
    expect(second?.name).toBe('20260101000001_add_gadgets'); // sorts after init even within the same second
    expect(second?.sql).toBe(pending);
    expect(await pendingSchemaChanges(prismaDir)).toBeNull();

    expect(await migrateDatabase({ databaseUrl: migrated, migrationsDir })).toEqual([second?.name]);
    expect(await appliedMigrationNames(migrated)).toEqual(['20260101000000_init', second?.name]);
    // The two migrations in sequence give exactly the schema built straight from the edited files.
    const direct = await database('svc-direct');
    await migrateToSchema(
      direct,
      resolveServiceSchema(prismaDir).map((f) => f.source),
    );
    expect(await schemaCatalog(migrated)).toEqual(await schemaCatalog(direct));
    expect(await schemaCatalog(migrated)).toContain('column widget.color text YES default ');
  });

  it('sees newly included library fragments as a missing migration', async () => {
    const { fragmentsFile } = prismaLayout(prismaDir);
    const fragments = readFileSync(fragmentsFile, 'utf8');
    writeFileSync(fragmentsFile, '[]');
    await createMigration({ prismaDir, name: 'init', now: JAN_1 });
    expect(await pendingSchemaChanges(prismaDir)).toBeNull();

    writeFileSync(fragmentsFile, fragments);
    const pending = await pendingSchemaChanges(prismaDir);
    expect(pending).toContain('CREATE TABLE "outbox"');
    expect(pending).toContain('CREATE TABLE "audit_log"');
    expect(pending).not.toContain('CREATE TABLE "widget"');
  });

  it('refuses to guess when migrations exist without their snapshot', async () => {
    await createMigration({ prismaDir, name: 'init', now: JAN_1 });
    rmSync(prismaLayout(prismaDir).snapshotFile);
    expect(existsSync(join(migrationsDir, '20260101000000_init'))).toBe(true);
    await expect(createMigration({ prismaDir, name: 'next' })).rejects.toThrow(
      /no .*schema\.snapshot\.prisma/,
    );
  });
});
