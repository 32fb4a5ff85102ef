import { gauge } from '@shop/telemetry';
import type { Gauge } from 'prom-client';
import type { OutboxBacklog } from './outbox-queries';

type BacklogSource = () => Promise<OutboxBacklog>;

/** The outboxes of this process that expose their backlog, by name. */
const sources = new Map<string, BacklogSource>();

/**
 * Exposes an outbox's backlog as two gauges read at scrape time (an indexed
 * query per scrape, no timers):
 * `shop_outbox_backlog_messages` and
 * `shop_outbox_oldest_unpublished_age_seconds`, labelled by outbox name.
 * Returns a function that withdraws the source.
 */
export function exposeOutboxBacklog(name: string, read: BacklogSource): () => void {
  const gauges = backlogGauges();
  sources.set(name, read);
  return () => {
    if (sources.get(name) !== read) return;
    sources.delete(name);
    for (const gauge of gauges) gauge.remove({ outbox: name });
  };
}

function backlogGauges(): Gauge<'outbox'>[] {
  const backlogGauge = (name: string, help: string, pick: (b: OutboxBacklog) => number) =>
    gauge(name, help, ['outbox'], async function () {
      for (const [outbox, read] of sources) {
        // A failed read (database down) keeps the last value; the relay logs the outage.
        const backlog = await read().catch(() => undefined);
        if (backlog) this.set({ outbox }, pick(backlog));
      }
    });
  return [
    backlogGauge('shop_outbox_backlog_messages', 'Outbox messages not yet published', (b) => b.count),
    backlogGauge(
      'shop_outbox_oldest_unpublished_age_seconds',
      'Age of the oldest unpublished outbox message',
      (b) => b.oldestAgeSeconds,
    ),
  ];
}
