import { Counter, Gauge, register } from 'prom-client';
import { createBreaker } from './breaker';
import { Bulkhead } from './bulkhead';
import { getOrRegisterMetric } from './metrics';
import { recordingLogger } from './test-support';

describe('metric registration', () => {
  it('creates the metric the first time and hands back the same one afterwards', () => {
    const first = getOrRegisterMetric(
      'resilience_spec_first',
      Gauge,
      () => new Gauge({ name: 'resilience_spec_first', help: 'h' }),
    );
    const again = getOrRegisterMetric('resilience_spec_first', Gauge, () => {
      throw new Error('must not create twice');
    });

    expect(again).toBe(first);
  });

  it('reuses a metric registered by another copy of the library instead of throwing', () => {
    const elsewhere = new Counter({ name: 'resilience_spec_elsewhere', help: 'h' });

    expect(
      getOrRegisterMetric(
        'resilience_spec_elsewhere',
        Counter,
        () => new Counter({ name: 'resilience_spec_elsewhere', help: 'h' }),
      ),
    ).toBe(elsewhere);
  });

  it('refuses a name taken by another metric type', () => {
    new Counter({ name: 'resilience_spec_clash', help: 'h' });

    expect(() =>
      getOrRegisterMetric(
        'resilience_spec_clash',
        Gauge,
        () => new Gauge({ name: 'resilience_spec_clash', help: 'h' }),
      ),
    ).toThrow(/another type/);
  });

  it('lets many breakers and bulkheads share the metrics of the default registry', async () => {
    const { logger } = recordingLogger();
    const breakers = ['a', 'b'].map((name) =>
      createBreaker(`shared-${name}`, async () => 1, { timeoutMs: 100, logger }),
    );
    new Bulkhead('shared-a', { maxConcurrent: 1, maxQueue: 0 });
    new Bulkhead('shared-b', { maxConcurrent: 1, maxQueue: 0 });

    const exported = await register.getSingleMetricAsString('breaker_state');
    expect(exported).toContain('breaker_state{breaker="shared-a"} 0');
    expect(exported).toContain('breaker_state{breaker="shared-b"} 0');
    expect(await register.getSingleMetricAsString('bulkhead_active')).toContain(
      'bulkhead_active{bulkhead="shared-b"} 0',
    );
    for (const breaker of breakers) breaker.shutdown();
  });
});
