import type Redis from 'ioredis';
import { createTestEnvironment, sleep, waitFor, type TestEnvironment } from '@shop/testing';
import { closeRedis } from '../connection/close-redis';
import { createRedis } from '../connection/create-redis';
import { LockLostError } from './lease';
import { LeaderElection, type LeaderTerm } from './leader-election';

describe('LeaderElection', () => {
  let env: TestEnvironment;
  const running: { election: LeaderElection; client: Redis }[] = [];
  const samplers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment('leader-election', { redis: true });
  });
  afterEach(async () => {
    samplers.splice(0).forEach(clearInterval);
    for (const { election, client } of running.splice(0)) {
      await election.stop();
      await closeRedis(client);
    }
  });
  afterAll(() => env.dispose());

  const ttlMs = 600;

  /** One instance of a singleton worker, with its own connection, as in its own process. */
  function contender(name: string) {
    const client = createRedis(env.redis.url, { keyPrefix: env.redis.keyPrefix, onError: () => undefined });
    const elected: LeaderTerm[] = [];
    const revoked: unknown[] = [];
    const election = new LeaderElection(client, {
      name,
      ttlMs,
      renewEveryMs: 150,
      retryEveryMs: 100,
      onElected: (term) => void elected.push(term),
      onRevoked: (reason) => void revoked.push(reason),
      onError: () => undefined, // the crashed contender keeps failing to reach Redis
    });
    running.push({ election, client });
    return { client, election, elected, revoked };
  }

  /** Samples both contenders until stopped; counts the samples where both claimed leadership. */
  function watchForSplitBrain(...contenders: { election: LeaderElection }[]) {
    let overlaps = 0;
    const timer = setInterval(() => {
      if (contenders.filter((c) => c.election.isLeader).length > 1) overlaps++;
    }, 5);
    samplers.push(timer);
    return { stop: () => (clearInterval(timer), overlaps) };
  }

  async function electOne(name: string) {
    const a = contender(name);
    const b = contender(name);
    const splitBrain = watchForSplitBrain(a, b);
    a.election.start();
    b.election.start();
    await waitFor(() => a.election.isLeader || b.election.isLeader);
    const [leader, follower] = a.election.isLeader ? [a, b] : [b, a];
    return { leader, follower, splitBrain };
  }

  it('elects exactly one leader, which keeps leading past its TTL by renewing', async () => {
    const { leader, follower, splitBrain } = await electOne('scheduler-renewal');
    await sleep(ttlMs * 3);
    expect(leader.election.isLeader).toBe(true);
    expect(follower.election.isLeader).toBe(false);
    expect(leader.elected).toHaveLength(1);
    expect(follower.elected).toHaveLength(0);
    expect(leader.revoked).toHaveLength(0);
    expect(splitBrain.stop()).toBe(0);
  });

  it('hands over to the follower when the leader stops', async () => {
    const { leader, follower, splitBrain } = await electOne('scheduler-handover');
    await leader.election.stop();
    expect(leader.election.isLeader).toBe(false);
    expect(leader.revoked).toHaveLength(1);
    expect(leader.elected[0]!.signal.aborted).toBe(true);

    await waitFor(() => follower.election.isLeader, { timeoutMs: 10_000 });
    expect(follower.elected[0]!.fencingToken).toBeGreaterThan(leader.elected[0]!.fencingToken);
    expect(splitBrain.stop()).toBe(0);
  });

  it('lets the follower take over after the TTL when the leader crashes, and the old leader steps down', async () => {
    const { leader, follower, splitBrain } = await electOne('scheduler-crash');
    leader.client.disconnect(); // the leader's process dies or is cut off: no more renewals, no release

    await waitFor(() => follower.election.isLeader, { timeoutMs: 10_000 });
    expect(leader.election.isLeader).toBe(false);
    await waitFor(() => leader.revoked.length === 1, { timeoutMs: 10_000 });
    expect(leader.revoked[0]).toBeInstanceOf(LockLostError);
    expect(leader.elected[0]!.signal.aborted).toBe(true);
    expect(follower.elected[0]!.fencingToken).toBeGreaterThan(leader.elected[0]!.fencingToken);
    expect(splitBrain.stop()).toBe(0);
  });
});
