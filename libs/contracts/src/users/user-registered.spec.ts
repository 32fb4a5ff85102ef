import { MessageRegistry } from '../messages/message-registry';
import { USER_MESSAGES, UserRegisteredV1 } from './user-registered';

describe('UserRegistered v1', () => {
  const payload = {
    userId: '0190f3a2-7b1c-7d4e-8f00-123456789abc',
    email: 'ann@example.com',
    name: 'Ann',
    roles: ['customer' as const],
    registeredAt: '2026-11-21T09:00:00.000Z',
  };

  it('builds a user.events envelope keyed by the user', () => {
    const event = UserRegisteredV1.create({
      source: 'user',
      aggregateId: payload.userId,
      aggregateVersion: 1,
      payload,
    });
    expect(event).toMatchObject({ type: 'UserRegistered', version: 1, aggregateId: payload.userId, payload });
    expect(UserRegisteredV1.topic).toBe('user.events');
    expect(() => new MessageRegistry([...USER_MESSAGES]).validate(event)).not.toThrow();
  });

  it.each([
    ['an unknown role', { roles: ['root'] }],
    ['no role', { roles: [] }],
    ['a malformed email', { email: 'ann' }],
    ['a non-UUID id', { userId: '42' }],
  ])('rejects %s', (_case, change) => {
    expect(() =>
      UserRegisteredV1.create({
        source: 'user',
        aggregateId: 'x',
        aggregateVersion: 1,
        payload: { ...payload, ...change } as unknown as typeof payload, // deliberately invalid
      }),
    ).toThrow();
  });
});
