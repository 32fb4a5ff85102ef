import { TOPICS, type MessageEnvelope } from '@shop/contracts';
import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import type { Consumer } from 'kafkajs';
import { newAccount, startUserService, type Infrastructure } from '../__fixtures__/user-service-harness';

interface Received {
  envelope: MessageEnvelope<Record<string, unknown>, string>;
  key: string | undefined;
  headers: Record<string, string>;
}

/**
 * UserRegistered leaves through the outbox and the service's relay: read
 * back from the real user.events topic, every partition up to its end.
 * Also: the admin account is seeded once across two starts.
 */
describe('user service: UserRegistered and the seeded admin', () => {
  let env: TestEnvironment;
  let infra: Infrastructure;
  let consumer: Consumer;
  const received: Received[] = [];
  const lastOffset = new Map<number, number>();

  beforeAll(async () => {
    env = await createTestEnvironment('user-events', {
      postgres: migrationsOf('user'),
      redis: true,
      kafka: true,
    });
    infra = {
      ...serviceInfrastructure(env),
    };
    consumer = env.kafka.client().consumer({
      groupId: env.kafka.groupId('user-events-reader'),
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.userEvents.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        lastOffset.set(partition, Number(message.offset));
        received.push({
          envelope: JSON.parse(message.value!.toString()) as Received['envelope'],
          key: message.key?.toString(),
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await env?.dispose();
  });

  /** Once the outbox is drained, reads the topic to its end: what is there now is all there will be. */
  async function allPublishedMessages(): Promise<Received[]> {
    const pool = env.postgres.pool();
    await waitFor(async () => {
      const { rows } = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
      );
      return rows[0]!.n === '0';
    });
    const admin = env.kafka.client().admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(TOPICS.userEvents.name);
    await admin.disconnect();
    await waitFor(
      () =>
        ends.every(
          (end) => Number(end.high) === 0 || (lastOffset.get(end.partition) ?? -1) >= Number(end.high) - 1,
        ),
      {
        describe: () =>
          `read up to ${JSON.stringify([...lastOffset])}, topic ends at ${JSON.stringify(ends)}`,
      },
    );
    return received;
  }

  it('publishes UserRegistered exactly once per new account, with the envelope fields, and nothing for a refused one', async () => {
    const user = await startUserService(infra, { ADMIN_EMAIL: newAccount('admin-a').email });
    try {
      const account = newAccount('event');
      const registered = await user.call('POST', '/users/register', account);
      expect(registered.status).toBe(201);
      expect((await user.call('POST', '/users/register', account)).status).toBe(409);
      const id = registered.body.id as string;

      const messages = (await allPublishedMessages()).filter((m) => m.envelope.aggregateId === id);
      expect(messages).toHaveLength(1);
      const [message] = messages;
      expect(message!.key).toBe(id);
      expect(message!.envelope).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        type: 'UserRegistered',
        version: 1,
        source: 'user',
        occurredAt: expect.any(String),
        aggregateId: id,
        aggregateVersion: 1,
        correlationId: message!.envelope.id,
        causationId: null,
        payload: {
          userId: id,
          email: account.email,
          name: account.name,
          roles: ['customer'],
          registeredAt: registered.body.createdAt,
        },
      });
      expect(message!.headers).toMatchObject({ 'message-type': 'UserRegistered', 'message-version': '1' });
    } finally {
      await user.close();
    }
  });

  it('seeds the admin from configuration once across two starts, without overwriting its password', async () => {
    const admin = newAccount('admin-b');
    const first = await startUserService(infra, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    await first.close();
    const second = await startUserService(infra, {
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: 'a different password now',
    });
    try {
      const login = await second.call('POST', '/auth/login', {
        email: admin.email,
        password: admin.password,
      });
      expect(login.status).toBe(200);

      const { rows } = await env.postgres
        .pool()
        .query<{ id: string; roles: string[] }>('SELECT id, roles FROM users WHERE email = $1', [
          admin.email,
        ]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.roles).toEqual(['customer', 'admin']);

      const events = (await allPublishedMessages()).filter((m) => m.envelope.aggregateId === rows[0]!.id);
      expect(events.map((m) => m.envelope.payload.roles)).toEqual([['customer', 'admin']]);
    } finally {
      await second.close();
    }
  });
});
