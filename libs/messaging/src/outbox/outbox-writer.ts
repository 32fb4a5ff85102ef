import { context, type Context } from '@opentelemetry/api';
import type { MessageEnvelope, MessageRegistry } from '@shop/contracts';
import type { SqlExecutor } from '@shop/persistence';
import { injectTraceHeaders } from '@shop/telemetry';
import { envelopeHeaders } from '../wire/headers';

/** One outbox row before insertion. */
export interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  type: string;
  version: number;
  headers: Record<string, string>;
  envelope: MessageEnvelope;
}

export interface OutboxWriterOptions {
  registry: MessageRegistry;
  /**
   * NOTIFY this channel in the writing transaction, so a relay LISTENing on
   * it publishes right after the commit instead of at its next poll. Off by
   * default: Postgres serializes the commits of notifying transactions.
   */
  notifyChannel?: string;
}

/**
 * Writes messages to the outbox inside the caller's transaction, so they
 * exist if and only if the state change that produced them committed. The
 * current trace context goes into each row's headers: the relay publishes
 * later, in another process, but the message continues the request's trace.
 */
export class OutboxWriter {
  constructor(private readonly options: OutboxWriterOptions) {}

  async enqueue(tx: SqlExecutor, messages: MessageEnvelope | readonly MessageEnvelope[]): Promise<void> {
    const list: readonly MessageEnvelope[] = Array.isArray(messages)
      ? messages
      : [messages as MessageEnvelope];
    if (list.length === 0) return;
    await insertOutboxRows(tx, outboxRows(this.options.registry, list));
    if (this.options.notifyChannel)
      await tx.query('SELECT 1 AS notified FROM pg_notify($1, $2)', [this.options.notifyChannel, '']);
  }
}

/** Validated rows for `messages`: topic from the registry, key = aggregate id, trace context of `ctx`. */
export function outboxRows(
  registry: MessageRegistry,
  messages: readonly MessageEnvelope[],
  ctx: Context = context.active(),
): OutboxRow[] {
  return messages.map((message) => {
    const envelope = registry.validate(message);
    return {
      id: envelope.id,
      topic: registry.definitionOf(envelope).topic,
      key: envelope.aggregateId,
      type: envelope.type,
      version: envelope.version,
      headers: injectTraceHeaders(envelopeHeaders(envelope), ctx),
      envelope,
    };
  });
}

/** One INSERT for all rows, in the given order (their sequence numbers follow it). */
export async function insertOutboxRows(tx: SqlExecutor, rows: readonly OutboxRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO outbox (id, topic, key, type, version, headers, envelope)
     SELECT (m->>'id')::uuid, m->>'topic', m->>'key', m->>'type', (m->>'version')::int, m->'headers', m->'envelope'
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS rows(m, n)
     ORDER BY n`,
    [JSON.stringify(rows)],
  );
}
