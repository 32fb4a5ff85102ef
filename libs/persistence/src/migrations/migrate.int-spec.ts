import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import { applyMigrations, diffSchemas, migrateToSchema } from './migrate';

const fooModel = 'model Foo {\n  id   Int    @id\n  name String\n}\n';

async function tables(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    return rows.map((r) => r.t);
  } finally {
    await client.end();
  }
}

describe('migrations with the WebAssembly schema engine', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase('migrate');
    dir = mkdtempSync(join(tmpdir(), 'shop-migrations-'));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a migrations folder once, then does nothing', async () => {
    const sql = await diffSchemas([
      { path: 'schema.prisma', content: `datasource db {\n provider = "postgresql"\n}\n${fooModel}` },
    ]);
    expect(sql).toContain('CREATE TABLE "Foo"');
    mkdirSync(join(dir, '20260101000000_init'));
    writeFileSync(join(dir, '20260101000000_init', 'migration.sql'), sql);

    expect(await applyMigrations(db.url, dir)).toEqual(['20260101000000_init']);
    expect(await tables(db.url)).toEqual(['Foo', '_prisma_migrations']);
    expect(await applyMigrations(db.url, dir)).toEqual([]);
  });

  it('creates fragment tables straight from schema files', async () => {
    const fragment = join(dir, 'foo.prisma');
    writeFileSync(fragment, fooModel);
    await migrateToSchema(db.url, [fragment]);
    expect(await tables(db.url)).toEqual(['Foo']);
  });

  it('finds no difference between identical schemas', async () => {
    const files = [
      { path: 'a.prisma', content: `datasource db {\n provider = "postgresql"\n}\n${fooModel}` },
    ];
    expect(await diffSchemas(files, files)).toBe('');
  });
});
