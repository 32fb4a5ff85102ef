import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestEnvironment, type TestEnvironment } from '@shop/testing';
import { migrateAccounts } from '../__fixtures__/accounts';

const ROOT = join(__dirname, '../../../..');

/**
 * MessagingModule in a real Nest application (a child process on plain Node:
 * NestJS 12 is ES-modules only, which this Jest setup cannot load): handlers
 * are discovered from @HandleMessage methods, the publisher and the outbox
 * writer are injectable, the relay runs inside the module, and app.close()
 * stops it all.
 */
describe('MessagingModule', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment('messaging-module', { postgres: migrateAccounts, kafka: true });
  });
  afterAll(() => env?.dispose());

  it('wires publisher, outbox relay and discovered handlers into a Nest app', async () => {
    const topic = await env.kafka.topic('nest', 3);
    const groupId = env.kafka.groupId('nest-handlers');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--require', join(ROOT, 'tools/register.cjs'), join(__dirname, '../__fixtures__/nest-app.ts')],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: {
          ...process.env,
          TOPIC: topic,
          GROUP_ID: groupId,
          DATABASE_URL: env.postgres.url,
          KAFKA_BROKERS: env.kafka.brokers.join(','),
        },
      },
    );
    const result = JSON.parse(/^RESULT (.*)$/m.exec(stdout)![1]!) as {
      received: string[];
      unpublished: number;
    };
    expect(result).toEqual({
      received: [`Ping 1 in ${groupId}`, `Pong 2 in ${groupId}`],
      unpublished: 0,
    });
  });
});
