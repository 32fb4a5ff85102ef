/**
 * Login throughput and latency against the cost of the password hash it is
 * built around: the same scrypt parameters (the production defaults), the
 * same concurrency, measured in the same run.
 *   npm run bench -- user/bench/login
 */
import { scrypt, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { migrationsOf } from '@shop/persistence';
import { createTestEnvironment, measureThroughput, printFigures, quantile } from '@shop/testing';
import { newAccount, startUserService } from '../src/__fixtures__/user-service-harness';
import { DEFAULT_SCRYPT_PARAMS, scryptMemoryBytes } from '../src/domain/password-hash-format';

const ROUNDS = 3;
const PER_ROUND = 40;
const CONCURRENCY = 4; // libuv's default thread pool, where scrypt runs
const { logN, r, p } = DEFAULT_SCRYPT_PARAMS;

async function main(): Promise<void> {
  const env = await createTestEnvironment('user-bench', { postgres: migrationsOf('user'), redis: true });
  const user = await startUserService(
    {
      databaseUrl: env.postgres.url,
      redisUrl: env.redis.url,
      redisKeyPrefix: env.redis.keyPrefix,
      kafkaBrokers: (process.env.KAFKA_BROKERS ?? '').split(','),
    },
    { PASSWORD_SCRYPT_LOG_N: String(logN), PASSWORD_SCRYPT_R: String(r), PASSWORD_SCRYPT_P: String(p) },
  );
  try {
    const account = newAccount('bench');
    await user.call('POST', '/users/register', account);

    const hash = promisify(scrypt) as (pw: string, salt: Buffer, len: number, o: object) => Promise<Buffer>;
    const options = { N: 2 ** logN, r, p, maxmem: 2 * scryptMemoryBytes(DEFAULT_SCRYPT_PARAMS) };
    const salt = randomBytes(16);
    const rawHash = () => hash(account.password, salt, 32, options);

    const latencies: number[] = [];
    const login = async () => {
      const started = performance.now();
      const answer = await user.call('POST', '/auth/login', {
        email: account.email,
        password: account.password,
      });
      if (answer.status !== 200) throw new Error(`login answered ${answer.status}`);
      latencies.push(performance.now() - started);
    };
    await measureThroughput(8, CONCURRENCY, rawHash); // warm-up
    await measureThroughput(8, CONCURRENCY, login);
    latencies.length = 0;

    // Alternating rounds, so load from other processes on the machine hits both alike.
    const raw = { operations: 0, seconds: 0, perSecond: 0 };
    const logins = { operations: 0, seconds: 0, perSecond: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [total, operation] of [
        [raw, rawHash],
        [logins, login],
      ] as const) {
        const measured = await measureThroughput(PER_ROUND, CONCURRENCY, operation);
        total.operations += measured.operations;
        total.seconds += measured.seconds;
        total.perSecond = total.operations / total.seconds;
      }
    }

    printFigures(`user: login vs scrypt (ln=${logN}, r=${r}, p=${p}; ${CONCURRENCY} concurrent)`, [
      { name: 'raw scrypt hash', value: raw.perSecond, unit: 'hashes/s', note: 'baseline' },
      {
        name: 'POST /auth/login',
        value: logins.perSecond,
        unit: 'logins/s',
        note: `${(logins.perSecond / raw.perSecond).toFixed(2)}x baseline`,
      },
      { name: 'login p50', value: quantile(latencies, 0.5), unit: 'ms' },
      { name: 'login p99', value: quantile(latencies, 0.99), unit: 'ms' },
    ]);
  } finally {
    await user.close();
    await env.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
