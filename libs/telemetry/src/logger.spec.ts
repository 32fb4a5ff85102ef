import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { startInMemoryTelemetry } from './in-memory-telemetry';
import { createLogger } from './logger';
import { NestPinoLogger, nestLogToPino } from './nest-logger';

const telemetry = startInMemoryTelemetry('logger-spec');
afterAll(() => telemetry.handle.shutdown());

/** A pino destination that keeps the JSON lines written to it. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

describe('createLogger', () => {
  it('writes JSON lines carrying the trace_id and span_id of the active span', async () => {
    const out = capture();
    const logger = createLogger({ serviceName: 'order', level: 'info', destination: out.destination });
    const span = trace.getTracer('spec').startSpan('POST /orders');
    await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await Promise.resolve();
      logger.info({ orderId: 'o-1' }, 'order placed');
    });
    span.end();

    const { traceId, spanId } = span.spanContext();
    expect(out.lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'order',
        msg: 'order placed',
        orderId: 'o-1',
        trace_id: traceId,
        span_id: spanId,
        trace_flags: '01',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
  });

  it('adds no trace fields outside a span, and filters by level', () => {
    const out = capture();
    const logger = createLogger({ serviceName: 'order', level: 'warn', destination: out.destination });
    logger.info('dropped');
    logger.warn('kept');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatchObject({ level: 'warn', msg: 'kept' });
    expect(out.lines[0]).not.toHaveProperty('trace_id');
  });
});

describe('NestPinoLogger', () => {
  it("routes Nest's calls to pino levels with their context", () => {
    const out = capture();
    const nest = new NestPinoLogger(
      createLogger({ serviceName: 'order', level: 'trace', destination: out.destination }),
    );
    nest.log('Mapped {/orders, POST} route', 'RouterExplorer');
    nest.verbose('details');
    nest.error('boom', 'Error: boom\n    at handler (order.ts:1:1)', 'ExceptionsHandler');
    expect(out.lines.map((l) => [l.level, l.msg, l.context])).toEqual([
      ['info', 'Mapped {/orders, POST} route', 'RouterExplorer'],
      ['trace', 'details', undefined],
      ['error', 'boom', 'ExceptionsHandler'],
    ]);
    expect(out.lines[2]?.stack).toContain('at handler');
  });
});

describe('nestLogToPino', () => {
  const stack = 'Error: x\n    at f (a.ts:1:1)';

  it('takes the last string as context', () => {
    expect(nestLogToPino('log', 'hello', ['Bootstrap'])).toEqual([{ context: 'Bootstrap' }, 'hello']);
    expect(nestLogToPino('warn', 'hello', [{ id: 1 }, 'Orders'])).toEqual([
      { context: 'Orders', params: [{ id: 1 }] },
      'hello',
    ]);
  });

  it('reads error(message, stack?, context?) like Nest does', () => {
    expect(nestLogToPino('error', 'failed', [stack, 'Saga'])).toEqual([{ context: 'Saga', stack }, 'failed']);
    expect(nestLogToPino('error', 'failed', [stack])).toEqual([{ stack }, 'failed']);
    expect(nestLogToPino('error', 'failed', [undefined, 'Saga'])).toEqual([{ context: 'Saga' }, 'failed']);
    expect(nestLogToPino('error', 'failed', ['Saga'])).toEqual([{ context: 'Saga' }, 'failed']);
  });

  it('turns an Error into err and an object message into fields', () => {
    const err = new Error('down');
    expect(nestLogToPino('error', err, [])).toEqual([{ err }, 'down']);
    expect(nestLogToPino('log', { event: 'started', port: 3000 }, ['App'])).toEqual([
      { event: 'started', port: 3000, context: 'App' },
      undefined,
    ]);
  });
});
