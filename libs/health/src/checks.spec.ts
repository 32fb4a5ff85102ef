import { kafkaCheck, type KafkaAdminLike } from './kafka.check';
import { postgresCheck } from './postgres.check';
import { DEFAULT_CHECK_TIMEOUT_MS } from './readiness-check';
import { redisCheck } from './redis.check';

const never = <T>() => new Promise<T>(() => undefined);

describe('redisCheck', () => {
  it('reports a reconnecting client at once instead of queueing a PING', async () => {
    const ping = jest.fn(never<string>);
    const check = redisCheck({ client: { status: 'reconnecting', ping } });
    await expect(check.check(new AbortController().signal)).rejects.toThrow('connection is reconnecting');
    expect(ping).not.toHaveBeenCalled();
  });

  it('accepts only PONG', async () => {
    await expect(
      redisCheck({ client: { status: 'ready', ping: async () => 'PONG' } }).check(
        new AbortController().signal,
      ),
    ).resolves.toBeUndefined();
    await expect(
      redisCheck({ client: { ping: async () => 'LOADING' } }).check(new AbortController().signal),
    ).rejects.toThrow('PING answered LOADING');
  });
});

describe('kafkaCheck', () => {
  it('disconnects the admin when the check is aborted while connecting', async () => {
    const disconnect = jest.fn(async () => undefined);
    const admin: KafkaAdminLike = { connect: never, describeCluster: never, disconnect };
    const check = kafkaCheck({ kafka: { admin: () => admin } });
    const controller = new AbortController();
    void check.check(controller.signal);
    expect(disconnect).not.toHaveBeenCalled();
    controller.abort();
    expect(disconnect).toHaveBeenCalledTimes(1);
  });

  it('asks for an admin without retries and reports the brokers, then disconnects', async () => {
    const disconnect = jest.fn(async () => undefined);
    const admin = jest.fn((): KafkaAdminLike => ({
      connect: async () => undefined,
      describeCluster: async () => ({ brokers: [{}, {}, {}], clusterId: 'dev' }),
      disconnect,
    }));
    const check = kafkaCheck({ kafka: { admin } });
    await expect(check.check(new AbortController().signal)).resolves.toEqual({
      brokers: 3,
      clusterId: 'dev',
    });
    expect(admin).toHaveBeenCalledWith({ retry: { retries: 0 } });
    expect(disconnect).toHaveBeenCalledTimes(1);
  });
});

describe('defaults', () => {
  it('name each check after its dependency with the default timeout, both overridable', () => {
    const pool = { query: async () => undefined };
    expect([postgresCheck({ database: pool }), redisCheck({ client: { ping: async () => 'PONG' } })]).toEqual(
      [
        expect.objectContaining({ name: 'postgres', timeoutMs: DEFAULT_CHECK_TIMEOUT_MS }),
        expect.objectContaining({ name: 'redis', timeoutMs: DEFAULT_CHECK_TIMEOUT_MS }),
      ],
    );
    expect(postgresCheck({ database: pool, name: 'read-replica', timeoutMs: 500 })).toMatchObject({
      name: 'read-replica',
      timeoutMs: 500,
    });
  });

  it('runs SELECT 1 through a pool-like object or a plain function', async () => {
    const seen: string[] = [];
    await postgresCheck({ database: { query: async (sql: string) => seen.push(sql) } }).check(
      new AbortController().signal,
    );
    await postgresCheck({ database: async (sql) => seen.push(sql) }).check(new AbortController().signal);
    expect(seen).toEqual(['SELECT 1', 'SELECT 1']);
  });
});
