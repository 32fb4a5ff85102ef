import { Client } from 'pg';
import { postgresAdminUrl } from '@shop/config';
import { checkRedis, ensureDatabases, InfrastructureUnavailableError } from './provision';

describe('local infrastructure provisioning', () => {
  const names = [`provision_probe_${process.pid}_a`, `provision_probe_${process.pid}_b`];

  afterAll(async () => {
    const admin = new Client({ connectionString: postgresAdminUrl() });
    await admin.connect();
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.end();
  });

  it('creates missing databases once, even when two provisioners race', async () => {
    const [first, second] = await Promise.all([
      ensureDatabases(postgresAdminUrl(), names),
      ensureDatabases(postgresAdminUrl(), names),
    ]);
    expect([...first.created, ...second.created].sort()).toEqual([...names].sort());
    expect(await ensureDatabases(postgresAdminUrl(), names)).toEqual({ created: [], existing: names });
  });

  it('names an unreachable Postgres and says how to start it', async () => {
    const error = await ensureDatabases('postgresql://postgres@127.0.0.1:1/postgres', ['x']).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InfrastructureUnavailableError);
    expect((error as Error).message).toMatch(
      /Postgres at postgresql:\/\/postgres@127\.0\.0\.1:1\/postgres is unreachable/,
    );
    expect((error as Error).message).toMatch(/pg_ctlcluster/);
  });

  it('reports the Redis version, and names an unreachable Redis', async () => {
    await expect(checkRedis('redis://127.0.0.1:6379')).resolves.toMatch(/^\d+\.\d+/);
    const error = await checkRedis('redis://127.0.0.1:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfrastructureUnavailableError);
    expect((error as Error).message).toMatch(
      /Redis at redis:\/\/127\.0\.0\.1:1 is unreachable.*redis-server/,
    );
  });
});
