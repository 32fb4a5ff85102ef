/**
 * Every Kafka topic the platform uses, declared once with its partition
 * count. Messages are keyed by aggregate id, so per-aggregate order holds
 * within a partition. The dev broker, the compose init step and the
 * Kubernetes topic job all create topics from this list.
 */
export interface TopicDefinition {
  readonly name: string;
  readonly partitions: number;
  /** What the message key is; always an aggregate id on this platform. */
  readonly key: string;
}

export const TOPICS = {
  userEvents: { name: 'user.events', partitions: 3, key: 'userId' },
  catalogEvents: { name: 'catalog.events', partitions: 6, key: 'productId' },
  orderEvents: { name: 'order.events', partitions: 6, key: 'orderId' },
  inventoryCommands: { name: 'inventory.commands', partitions: 6, key: 'orderId' },
  inventoryEvents: { name: 'inventory.events', partitions: 6, key: 'orderId' },
  paymentCommands: { name: 'payment.commands', partitions: 6, key: 'orderId' },
  paymentEvents: { name: 'payment.events', partitions: 6, key: 'orderId' },
  notificationEvents: { name: 'notification.events', partitions: 3, key: 'notificationId' },
} as const satisfies Record<string, TopicDefinition>;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS]['name'];

export const ALL_TOPICS: readonly TopicDefinition[] = Object.values(TOPICS);

/**
 * The dead-letter topic of a consumer group: one per group, whatever topics
 * the group reads (the original topic, partition and offset travel in the
 * dead letter's headers). Declare it beside the group's topics so the broker
 * launcher and init steps create it.
 */
export function deadLetterTopic(groupId: string, partitions = 1): TopicDefinition {
  return { name: `${groupId}.dlq`, partitions, key: 'the original message key' };
}
