import {
  AuthorizePaymentV1,
  CapturePaymentV1,
  RefundPaymentV1,
  TOPICS,
  VoidPaymentV1,
  type MessageEnvelope,
} from '@shop/contracts';
import type { Consumer, Kafka, Producer } from 'kafkajs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Reply = MessageEnvelope<any>;

/** What the order saga would send, built with the contracts (source 'order', keyed by the order id). */
export const commands = {
  authorize: (orderId: string, paymentToken = 'tok_ok', amountCents = 4_200, currency = 'EUR') =>
    AuthorizePaymentV1.create({
      source: 'order',
      aggregateId: orderId,
      aggregateVersion: 1,
      payload: { orderId, amountCents, currency, paymentToken },
    }),
  capture: (orderId: string, paymentId: string, amountCents = 4_200, currency = 'EUR') =>
    CapturePaymentV1.create({
      source: 'order',
      aggregateId: orderId,
      aggregateVersion: 2,
      payload: { orderId, paymentId, amountCents, currency },
    }),
  void: (orderId: string, paymentId: string | null) =>
    VoidPaymentV1.create({
      source: 'order',
      aggregateId: orderId,
      aggregateVersion: 2,
      payload: { orderId, paymentId },
    }),
  refund: (orderId: string, paymentId: string, amountCents = 4_200, currency = 'EUR') =>
    RefundPaymentV1.create({
      source: 'order',
      aggregateId: orderId,
      aggregateVersion: 3,
      payload: { orderId, paymentId, amountCents, currency },
    }),
};

/**
 * The saga's side of the conversation in tests: publishes commands to
 * payment.commands (raw, as the saga's relay would) and collects every reply
 * on payment.events.
 */
export class PaymentBus {
  readonly replies: Reply[] = [];

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
  ) {}

  /** `kafka`: a client on the suite's brokers (env.kafka.client()); `groupId`: a group of its own for the replies. */
  static async start(kafka: Kafka, groupId: string): Promise<PaymentBus> {
    const producer = kafka.producer();
    await producer.connect();
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.paymentEvents.name, fromBeginning: true });
    const bus = new PaymentBus(producer, consumer);
    await consumer.run({
      eachMessage: async ({ message }) => {
        bus.replies.push(JSON.parse(message.value!.toString()) as Reply);
      },
    });
    return bus;
  }

  /** Publishes the envelope `times` times: the same message id each time (a redelivery). */
  async send(envelope: MessageEnvelope, times = 1): Promise<void> {
    const message = { key: envelope.aggregateId, value: JSON.stringify(envelope) };
    await this.producer.send({
      topic: TOPICS.paymentCommands.name,
      messages: Array.from({ length: times }, () => message),
    });
  }

  repliesFor(orderId: string): Reply[] {
    return this.replies.filter((reply) => reply.aggregateId === orderId);
  }

  /** Waits until the order has `count` replies and returns them (in arrival order). */
  async waitForReplies(orderId: string, count = 1): Promise<Reply[]> {
    await this.until(
      () => this.repliesFor(orderId).length >= count,
      () => `replies for ${orderId}: ${JSON.stringify(this.repliesFor(orderId))}`,
    );
    return this.repliesFor(orderId);
  }

  /** Sends a command and waits for the order's next reply. */
  async request(envelope: MessageEnvelope, times = 1): Promise<Reply> {
    const before = this.repliesFor(envelope.aggregateId).length;
    await this.send(envelope, times);
    const replies = await this.waitForReplies(envelope.aggregateId, before + 1);
    return replies[before]!;
  }

  /** Waits (generously: group joins take seconds on the dev broker) until `done` holds. */
  async until(done: () => boolean, describe: () => string = () => '', timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`no such replies within ${timeoutMs} ms: ${describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}
