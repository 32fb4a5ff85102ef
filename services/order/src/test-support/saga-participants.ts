/**
 * The test's stand-in for the inventory and payment services: it consumes
 * the commands the order service publishes and answers with the contracts'
 * replies, like the real services would (idempotent per order: a repeated
 * command gets the same reservation/payment id, under a new message id).
 *
 * Behaviour is chosen by the data, so no test has to register anything
 * before the command arrives:
 * - ReserveStock: a product in `outOfStock` -> StockReservationFailed; in
 *   `silentStock` -> no reply; else StockReserved.
 * - AuthorizePayment: token `tok_decline` -> PaymentDeclined; `tok_silent`
 *   -> no reply; else PaymentAuthorized.
 * - Release, void, capture, refund: acknowledged. CommitStock: StockCommitted.
 */
import {
  ALL_TOPICS,
  causedBy,
  INVENTORY_EVENTS,
  MessageRegistry,
  PAYMENT_EVENTS,
  PaymentAuthorizedV1,
  PaymentCapturedV1,
  PaymentDeclinedV1,
  PaymentRefundedV1,
  PaymentVoidedV1,
  StockCommittedV1,
  StockReleasedV1,
  StockReservationFailedV1,
  StockReservedV1,
  TOPICS,
  uuidv7,
  type MessageEnvelope,
  CATALOG_EVENTS,
} from '@shop/contracts';
import { KafkaMessaging } from '@shop/messaging';
import type { Consumer, Kafka } from 'kafkajs';
import type { LooseJson } from './start-order';

export const DECLINE_TOKEN = 'tok_decline';
export const SILENT_TOKEN = 'tok_silent';
export const OK_TOKEN = 'tok_visa_4242';

export interface ReceivedCommand {
  key: string;
  envelope: MessageEnvelope<Record<string, unknown>>;
}

export interface ParticipantOptions {
  outOfStock?: ReadonlySet<string>;
  silentStock?: ReadonlySet<string>;
  /** Publish every reply twice (same message id): a redelivery. */
  duplicateReplies?: boolean;
}

/** The parts of @shop/testing's TestEnvironment the order suites use (structural: helpers may not import the harness). */
export interface SuiteEnvironment {
  readonly postgres: { url: string };
  readonly redis: { url: string; keyPrefix: string };
  readonly kafka: {
    brokers: string[];
    groupId(label: string): string;
    client(clientId?: string): Kafka;
    readonly faults: { createTopic(name: string, partitions: number): Promise<unknown> } | undefined;
  };
  dispose(): Promise<void>;
}

/** Creates the platform's topics on the suite's dedicated broker (with their partition counts). */
export async function createPlatformTopics(env: SuiteEnvironment): Promise<void> {
  const control = env.kafka.faults;
  if (!control) throw new Error('the order suites need a dedicated dev broker');
  for (const topic of ALL_TOPICS) await control.createTopic(topic.name, topic.partitions);
}

export class SagaParticipants {
  /** Every command delivery, in arrival order (duplicates included). */
  readonly received: ReceivedCommand[] = [];
  private readonly messaging: KafkaMessaging;
  private readonly consumer: Consumer;
  private readonly reservations = new Map<string, string>();
  private readonly payments = new Map<string, string>();
  /** Replies published, for assertions. */
  readonly replies: MessageEnvelope[] = [];

  constructor(
    private readonly env: SuiteEnvironment,
    private readonly options: ParticipantOptions = {},
  ) {
    this.messaging = new KafkaMessaging({
      clientId: 'test-participants',
      brokers: env.kafka.brokers,
      registry: new MessageRegistry([...INVENTORY_EVENTS, ...PAYMENT_EVENTS, ...CATALOG_EVENTS.all]),
    });
    this.consumer = env.kafka
      .client('test-participants')
      .consumer({ groupId: env.kafka.groupId('participants'), maxWaitTimeInMs: 100 });
  }

  async start(): Promise<void> {
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [TOPICS.inventoryCommands.name, TOPICS.paymentCommands.name],
      fromBeginning: true,
    });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const envelope = JSON.parse(message.value!.toString()) as ReceivedCommand['envelope'];
        this.received.push({ key: message.key!.toString(), envelope });
        const replies = this.answer(envelope);
        if (replies.length === 0) return;
        this.replies.push(...replies);
        await this.publish(this.options.duplicateReplies ? replies.flatMap((r) => [r, r]) : replies);
      },
    });
    await joined;
  }

  /** Publishes directly (as another service's relay would), e.g. catalog events for the price replica. */
  publish(messages: MessageEnvelope | readonly MessageEnvelope[]): Promise<void> {
    return this.messaging.publisher.publish(messages);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.messaging.close();
  }

  /** The commands of one order, by type, duplicates included. */
  commandsOf(orderId: string, type?: string): ReceivedCommand['envelope'][] {
    return this.received
      .filter((r) => r.key === orderId && (!type || r.envelope.type === type))
      .map((r) => r.envelope);
  }

  /** Distinct command messages (by envelope id) of one order and type: what the outbox sent. */
  distinctCommandsOf(orderId: string, type: string): ReceivedCommand['envelope'][] {
    const byId = new Map(this.commandsOf(orderId, type).map((e) => [e.id, e]));
    return [...byId.values()];
  }

  private answer(command: ReceivedCommand['envelope']): MessageEnvelope[] {
    const p = command.payload as LooseJson;
    const orderId: string = p.orderId;
    const base = {
      source: 'test-participant',
      aggregateId: orderId,
      aggregateVersion: 0,
      ...causedBy(command),
    };
    switch (command.type) {
      case 'ReserveStock': {
        const items = p.items as { productId: string; quantity: number }[];
        if (items.some((i) => this.options.silentStock?.has(i.productId))) return [];
        const short = items.filter((i) => this.options.outOfStock?.has(i.productId));
        if (short.length)
          return [
            StockReservationFailedV1.create({
              ...base,
              payload: {
                orderId,
                reason: 'OUT_OF_STOCK',
                shortages: short.map((i) => ({
                  productId: i.productId,
                  requested: i.quantity,
                  available: 0,
                })),
              },
            }),
          ];
        const reservationId = this.idFor(this.reservations, orderId);
        const expiresAt = new Date(Date.now() + 600_000).toISOString();
        return [StockReservedV1.create({ ...base, payload: { orderId, reservationId, items, expiresAt } })];
      }
      case 'ReleaseStock':
        return [
          StockReleasedV1.create({
            ...base,
            payload: { orderId, reservationId: this.reservations.get(orderId) ?? null },
          }),
        ];
      case 'CommitStock': {
        const reservationId = this.reservations.get(orderId);
        if (!reservationId) return [];
        const items = [{ productId: uuidv7(), quantity: 1 }];
        return [StockCommittedV1.create({ ...base, payload: { orderId, reservationId, items } })];
      }
      case 'AuthorizePayment': {
        if (p.paymentToken === SILENT_TOKEN) return [];
        if (p.paymentToken === DECLINE_TOKEN)
          return [PaymentDeclinedV1.create({ ...base, payload: { orderId, reason: 'DECLINED' } })];
        const paymentId = this.idFor(this.payments, orderId);
        const { amountCents, currency } = p;
        return [
          PaymentAuthorizedV1.create({ ...base, payload: { orderId, paymentId, amountCents, currency } }),
        ];
      }
      case 'CapturePayment': {
        const { paymentId, amountCents, currency } = p;
        return [
          PaymentCapturedV1.create({ ...base, payload: { orderId, paymentId, amountCents, currency } }),
        ];
      }
      case 'VoidPayment':
        return [
          PaymentVoidedV1.create({
            ...base,
            payload: { orderId, paymentId: this.payments.get(orderId) ?? null },
          }),
        ];
      case 'RefundPayment': {
        const { paymentId, amountCents, currency } = p;
        return [
          PaymentRefundedV1.create({ ...base, payload: { orderId, paymentId, amountCents, currency } }),
        ];
      }
      default:
        return [];
    }
  }

  private idFor(ids: Map<string, string>, orderId: string): string {
    const id = ids.get(orderId) ?? uuidv7();
    ids.set(orderId, id);
    return id;
  }
}
