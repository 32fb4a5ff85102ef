import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@shop/contracts';
import { z } from 'zod';
import { scanConsumerGroups } from './consumer-groups';
import { consumerGroups, DEPLOYED_SERVICES, deploymentTopics, REPO_ROOT } from './platform';
import { staleDeploymentFiles } from './render';

describe('files generated from the platform sources (tools/deploy/render.ts)', () => {
  it('are up to date: re-run `node --require ./tools/register.cjs tools/deploy/render.ts` when this fails', async () => {
    expect(await staleDeploymentFiles()).toEqual([]);
  });

  it('create every registry topic with its partitions and one DLQ per consumer group found in the services', () => {
    const script = readFileSync(join(REPO_ROOT, 'infra/docker/kafka/create-topics.sh'), 'utf8');
    const created = [...script.matchAll(/^create (\S+)\s+(\d+)$/gm)].map(([, name, partitions]) => ({
      name,
      partitions: Number(partitions),
    }));
    const groups = consumerGroups();
    expect(groups.length).toBeGreaterThan(0);
    expect(created).toEqual(
      expect.arrayContaining(ALL_TOPICS.map(({ name, partitions }) => ({ name, partitions }))),
    );
    for (const group of groups)
      expect(created).toContainEqual({ name: `${group.groupId}.dlq`, partitions: 1 });
    expect(created).toHaveLength(deploymentTopics(groups).length);
  });

  it('create one database per service that owns one', () => {
    const sql = readFileSync(join(REPO_ROOT, 'infra/docker/postgres/create-databases.sql'), 'utf8');
    const databases = [...sql.matchAll(/'CREATE DATABASE (\w+)'/g)].map(([, name]) => name);
    expect(databases).toEqual(DEPLOYED_SERVICES.flatMap((s) => (s.database ? [s.database] : [])));
  });
});

describe('scanConsumerGroups', () => {
  let root: string;
  beforeAll(() => {
    mkdirSync(join(REPO_ROOT, '.shop'), { recursive: true });
    root = mkdtempSync(join(REPO_ROOT, '.shop', 'groups-'));
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write(
      'services/shop/src/module.ts',
      `declare function HandleMessage(type: string, options?: { group?: string }): MethodDecorator;
       declare const config: { SHOP_GROUP: string };
       declare function pick(): string;
       export const GROUPS = { saga: 'shop-saga', view: 'shop-view' } as const;
       const REPLICA = 'shop-replica';
       const group = GROUPS.view;
       export const consumers = [
         { groupId: 'shop-literal' },
         { groupId: GROUPS.saga },
         { groupId: config.SHOP_GROUP },
         { groupId: pick() },
       ];
       export class Handlers {
         @HandleMessage('A', { group: REPLICA }) a() {}
         @HandleMessage('B', { group }) b() {}
       }
       export const unrelated = { group: 'not-a-consumer-group' };`,
    );
    write('services/shop/src/module.spec.ts', `export const x = { groupId: 'only-in-a-test' };`);
    write('services/shop/src/test-support/start.ts', `export const x = { groupId: 'only-in-test-support' };`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves literals, consts, as-const members and config defaults, and names what it cannot resolve', () => {
    const scan = scanConsumerGroups(root, {
      shop: z.object({ SHOP_GROUP: z.string().default('shop-from-env') }),
    });
    expect(scan.groups.map((g) => g.groupId)).toEqual([
      'shop-from-env',
      'shop-literal',
      'shop-replica',
      'shop-saga',
      'shop-view',
    ]);
    expect(scan.unresolved).toEqual([
      expect.stringMatching(
        /^services\/shop\/src\/module\.ts:\d+: cannot resolve consumer group 'pick\(\)'$/,
      ),
    ]);
  });
});
