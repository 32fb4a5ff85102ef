import { register } from 'prom-client';
import { counter, ensureDefaultMetrics, gauge, histogram, metricsText } from './metrics';

afterEach(() => register.clear());

describe('get-or-create metric helpers', () => {
  it('return the metric registered first under a name instead of throwing', async () => {
    const first = counter('outbox_published_total', 'Messages published', ['topic']);
    const again = counter('outbox_published_total', 'Messages published', ['topic']);
    expect(again).toBe(first);
    again.inc({ topic: 'order.events' }, 2);
    expect(await metricsText()).toContain('outbox_published_total{topic="order.events"} 2');
  });

  it('run a gauge collect function on every scrape', async () => {
    let backlog = 7;
    gauge('outbox_backlog', 'Unpublished outbox rows', [], function () {
      this.set(backlog);
    });
    expect(await metricsText()).toContain('outbox_backlog 7');
    backlog = 3;
    expect(await metricsText()).toContain('outbox_backlog 3');
  });

  it('honour histogram buckets', async () => {
    histogram('job_seconds', 'Job time', ['job'], [0.5, 2]).observe({ job: 'rebuild' }, 1);
    const text = await metricsText();
    expect(text).toContain('job_seconds_bucket{le="0.5",job="rebuild"} 0');
    expect(text).toContain('job_seconds_bucket{le="2",job="rebuild"} 1');
  });

  it('refuse a name already registered as another metric type', () => {
    gauge('breaker_state', 'Circuit breaker state', ['breaker']);
    expect(() => counter('breaker_state', 'oops')).toThrow(
      "Metric 'breaker_state' is already registered as a Gauge, not a Counter",
    );
  });
});

describe('ensureDefaultMetrics', () => {
  it('registers process metrics once, however often it is called', async () => {
    ensureDefaultMetrics();
    expect(() => ensureDefaultMetrics()).not.toThrow();
    expect(await metricsText()).toContain('process_cpu_user_seconds_total');
  });
});
