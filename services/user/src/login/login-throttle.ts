import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { UserConfig } from '../config';
import {
  throttleDecision,
  type FailureWindow,
  type LoginThrottleLimits,
  type ThrottleDecision,
} from '../domain/login-throttle-rules';
import { REDIS, USER_CONFIG, type RedisClient } from '../infrastructure/tokens';

/** INCR, and start the window with the first failure (one script: no counter without expiry). */
const RECORD_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Failed-login counters in Redis, per account and per client address, in
 * fixed windows (see domain/login-throttle-rules). Keys hold no plain
 * email: `login-failures:account:<sha256(email)>`.
 */
@Injectable()
export class LoginThrottle {
  readonly limits: LoginThrottleLimits;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(USER_CONFIG) config: UserConfig,
  ) {
    this.limits = {
      maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: config.LOGIN_FAILURE_WINDOW_MS,
    };
  }

  async check(email: string, address: string): Promise<ThrottleDecision> {
    const [account, addressWindow] = await Promise.all([
      this.window(accountKey(email)),
      this.window(addressKey(address)),
    ]);
    return throttleDecision({ account, address: addressWindow }, this.limits);
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all(
      [accountKey(email), addressKey(address)].map((key) =>
        this.redis.eval(RECORD_FAILURE, 1, key, String(this.limits.windowMs)),
      ),
    );
  }

  /** A successful login clears the account's failures (not the address's: one good account must not unlock guessing at others). */
  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(accountKey(email));
  }

  private async window(key: string): Promise<FailureWindow> {
    const [[, count], [, ttl]] = (await this.redis.multi().get(key).pttl(key).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    return { failures: Number(count ?? 0), remainingMs: ttl > 0 ? ttl : null };
  }
}

function accountKey(email: string): string {
  return `login-failures:account:${createHash('sha256').update(email).digest('hex')}`;
}

function addressKey(address: string): string {
  return `login-failures:address:${address}`;
}
