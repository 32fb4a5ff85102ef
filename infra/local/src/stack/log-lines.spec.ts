import { formatLogLine, isNotable } from './log-lines';

describe('log lines', () => {
  it('turns a JSON log line into one readable line with level, message, error and trace', () => {
    const line = JSON.stringify({
      level: 'warn',
      time: '2026-11-21T10:00:00Z',
      msg: 'capture failed',
      err: { type: 'TimeoutError', message: 'provider timed out' },
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    expect(formatLogLine('payment-2', line, 10)).toBe(
      'payment-2  WARN  capture failed - TimeoutError: provider timed out  {trace 4bf92f3577b3}',
    );
  });

  it('passes other lines through, and keeps debug output off the console', () => {
    expect(formatLogLine('order-1', '    at main (main.ts:1:1)', 8)).toBe(
      'order-1      at main (main.ts:1:1)',
    );
    expect(isNotable(JSON.stringify({ level: 'debug', msg: 'x' }))).toBe(false);
    expect(isNotable(JSON.stringify({ level: 'info', msg: 'x' }))).toBe(true);
    expect(isNotable('plain text')).toBe(true);
  });
});
