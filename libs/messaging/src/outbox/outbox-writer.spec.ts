import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { z } from 'zod';
import { defineMessage, MessageRegistry, MessageValidationError } from '@shop/contracts';
import { outboxRows } from './outbox-writer';

const Shipped = defineMessage({
  type: 'Shipped',
  version: 1,
  topic: 'shipping.events',
  schema: z.object({ carrier: z.string() }),
});
const registry = new MessageRegistry([Shipped]);
/** A Shipped envelope; the carrier may be invalid on purpose. */
const shipped = (carrier: unknown) => ({
  ...Shipped.create({
    source: 'shipping',
    aggregateId: 'order-1',
    aggregateVersion: 3,
    payload: { carrier: 'dhl' },
  }),
  payload: { carrier },
});

describe('outboxRows', () => {
  it('routes by the registry, keys by aggregate id and copies the envelope fields to headers', () => {
    const message = shipped('dhl');
    const [row] = outboxRows(registry, [message], ROOT_CONTEXT);
    expect(row).toEqual({
      id: message.id,
      topic: 'shipping.events',
      key: 'order-1',
      type: 'Shipped',
      version: 1,
      envelope: message,
      headers: {
        'message-id': message.id,
        'message-type': 'Shipped',
        'message-version': '1',
        'message-source': 'shipping',
        'correlation-id': message.correlationId,
        'content-type': 'application/json',
      },
    });
  });

  it('captures the trace context it is given', () => {
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    const [row] = outboxRows(registry, [shipped('ups')], trace.setSpan(ROOT_CONTEXT, span));
    expect(row!.headers.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('refuses messages the registry does not vouch for', () => {
    expect(() => outboxRows(registry, [shipped(42)])).toThrow(MessageValidationError);
    expect(() => outboxRows(new MessageRegistry(), [shipped('dhl')])).toThrow(/not registered/);
  });
});
