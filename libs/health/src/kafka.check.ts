import { DEFAULT_CHECK_TIMEOUT_MS, type CheckOptions, type ReadinessCheck } from './readiness-check';

/** The part of a kafkajs admin client the check uses. */
export interface KafkaAdminLike {
  connect(): Promise<void>;
  describeCluster(): Promise<{ brokers: unknown[]; clusterId: string }>;
  disconnect(): Promise<void>;
}

/** A kafkajs `Kafka` instance, or anything that makes such admins. */
export interface KafkaAdminFactory {
  admin(config?: { retry?: { retries?: number } }): KafkaAdminLike;
}

export interface KafkaCheckOptions extends CheckOptions {
  /**
   * Best a client made for the check with `retry: { retries: 0 }`: kafkajs
   * connects with the retry policy of the Kafka instance, so with the
   * service's own client a check against a dead cluster times out instead of
   * failing fast, and its connect keeps retrying until that policy gives up.
   */
  kafka: KafkaAdminFactory;
}

/**
 * Kafka is ready when a broker answers a metadata request (describeCluster).
 * Each check uses a short-lived admin (its own operations not retried),
 * disconnected when the check ends or times out.
 */
export function kafkaCheck(options: KafkaCheckOptions): ReadinessCheck {
  return {
    name: options.name ?? 'kafka',
    timeoutMs: options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    async check(signal) {
      const admin = options.kafka.admin({ retry: { retries: 0 } });
      const disconnect = () => admin.disconnect().catch(() => undefined);
      const onAbort = () => void disconnect();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return { brokers: cluster.brokers.length, clusterId: cluster.clusterId };
      } finally {
        signal.removeEventListener('abort', onAbort);
        await disconnect();
      }
    },
  };
}
