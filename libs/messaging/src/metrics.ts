import { counter, gauge } from '@shop/telemetry';
import type { Counter, Gauge } from 'prom-client';

/**
 * The messaging metrics, on the default registry that GET /metrics serves
 * (get-or-create: several consumers or relays in one process share them).
 */
export interface MessagingMetrics {
  /** Messages a consumer finished with, by outcome: handled, ignored, dead_lettered. */
  consumed: Counter<'group' | 'type' | 'outcome'>;
  /** Failed handler attempts that were retried. */
  retries: Counter<'group' | 'type'>;
  /** Messages behind the end of each partition after the last batch. */
  consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  /** Messages the outbox relay published (acknowledged by Kafka). */
  outboxPublished: Counter<'outbox'>;
  outboxPublishFailures: Counter<'outbox'>;
}

export function messagingMetrics(): MessagingMetrics {
  return {
    consumed: counter(
      'shop_messaging_consumed_total',
      'Messages a consumer group finished with, by outcome',
      ['group', 'type', 'outcome'],
    ),
    retries: counter('shop_messaging_handler_retries_total', 'Failed handler attempts that were retried', [
      'group',
      'type',
    ]),
    consumerLag: gauge(
      'shop_messaging_consumer_lag',
      'Messages behind the partition end after the last processed batch',
      ['group', 'topic', 'partition'],
    ),
    outboxPublished: counter('shop_outbox_published_total', 'Outbox messages published to Kafka', ['outbox']),
    outboxPublishFailures: counter(
      'shop_outbox_publish_failures_total',
      'Outbox batches whose publish failed (retried later)',
      ['outbox'],
    ),
  };
}
