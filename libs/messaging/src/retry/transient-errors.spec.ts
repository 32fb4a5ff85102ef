import { isTransientError } from './transient-errors';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('isTransientError', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset socket', withCode('ECONNRESET')],
    ['a Postgres serialization failure', withCode('40001')],
    ['a deadlock', withCode('40P01')],
    ['a Postgres connection exception', withCode('08006')],
    ['a database shutting down', withCode('57P01')],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
    ['a wrapped network error', new Error('query failed', { cause: withCode('ETIMEDOUT') })],
  ])('recognises %s', (_name, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a plain error', new Error('amount must be positive')],
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a thrown string', 'ECONNRESET'],
    ['undefined', undefined],
  ])('treats %s as permanent', (_name, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
