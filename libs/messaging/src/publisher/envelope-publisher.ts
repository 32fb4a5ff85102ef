import type { MessageEnvelope, MessageRegistry } from '@shop/contracts';
import { injectTraceHeaders } from '@shop/telemetry';
import type { MessagePublisher, RecordProducer } from '../ports';
import { envelopeHeaders } from '../wire/headers';
import { envelopeRecord, sendTraced } from '../wire/records';

/** Validates against the registry, then publishes to each message's topic, keyed by aggregate id. */
export class EnvelopePublisher implements MessagePublisher {
  constructor(
    private readonly registry: MessageRegistry,
    private readonly producer: RecordProducer,
  ) {}

  async publish(messages: MessageEnvelope | readonly MessageEnvelope[]): Promise<void> {
    const list: readonly MessageEnvelope[] = Array.isArray(messages)
      ? messages
      : [messages as MessageEnvelope];
    const records = list.map((message) => {
      const valid = this.registry.validate(message);
      const { topic } = this.registry.definitionOf(valid);
      return envelopeRecord(topic, valid, injectTraceHeaders(envelopeHeaders(valid)));
    });
    await sendTraced(this.producer, records);
  }
}
