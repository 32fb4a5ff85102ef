import type { MessageEnvelope } from '@shop/contracts';
import { handleOnce, type InboxOutcome, type MessageContext, type OutboxWriter } from '@shop/messaging';
import type { SqlClient } from '@shop/persistence';
import type { LedgerChange, Outcome, Payment, PaymentReply } from '../domain';
import type { PaymentLedger } from './payment-ledger';
import { replyEnvelope } from './payment-replies';

type Command = MessageEnvelope<{ orderId: string }>;
type ReplyDecision = { kind: 'reply'; reply: PaymentReply };

/**
 * The steps of one payment command. `decide` runs twice: on the committed
 * ledger, to know whether the provider must be called (never when the
 * ledger already knows the outcome), and again under the order's lock, to
 * record what the provider answered (or repeat what another delivery
 * recorded meanwhile).
 */
export interface CommandSteps<D extends { kind: string }, A> {
  decide(payment: Payment | null): D | ReplyDecision;
  /** The provider call for a decision that needs one; made BEFORE the transaction (no lock held while waiting). */
  call(decision: D): Promise<A>;
  /** The outcome under the lock; `decision` is `decide(locked)`. Throw to have the command retried. */
  record(decision: D, answer: A, locked: Payment | null): Outcome;
}

/** Raised when the ledger moved between the decision and the transaction: the retry decides again. */
export class LedgerMovedError extends Error {
  override readonly name = 'LedgerMovedError';
}

/**
 * How every command is applied: provider call first (its idempotency key
 * makes a redelivery after a crash safe), then ONE transaction with the
 * inbox row (handleOnce), the ledger change and the reply in the outbox.
 */
export class PaymentCommandRunner {
  constructor(
    private readonly sql: SqlClient,
    private readonly ledger: PaymentLedger,
    private readonly outbox: OutboxWriter,
  ) {}

  async run<D extends { kind: string }, A>(
    command: Command,
    context: MessageContext,
    steps: CommandSteps<D, A>,
  ): Promise<InboxOutcome> {
    // A redelivery of a handled message must not even reach the provider.
    if (await this.alreadyHandled(command, context)) return 'duplicate';
    const { orderId } = command.payload;
    const decision = steps.decide(await this.ledger.find(orderId));
    const answer = isReply(decision) ? undefined : { value: await steps.call(decision) };
    return handleOnce(this.sql, context.groupId, command, async (tx) => {
      const locked = await this.ledger.lock(tx, orderId);
      const again = steps.decide(locked);
      let outcome: Outcome;
      if (isReply(again)) outcome = { reply: again.reply };
      else if (answer === undefined)
        throw new LedgerMovedError(`the payment of order ${orderId} changed: deciding again`);
      else outcome = steps.record(again, answer.value, locked);
      if (outcome.change) await this.ledger.apply(tx, outcome.change);
      const version = outcome.change?.payment.version ?? locked?.version ?? 0;
      await this.outbox.enqueue(tx, replyEnvelope(outcome.reply, command, version));
    });
  }

  private async alreadyHandled(command: Command, context: MessageContext): Promise<boolean> {
    const rows = await this.sql.query(
      'SELECT 1 FROM inbox WHERE message_id = $1::uuid AND consumer_group = $2',
      [command.id, context.groupId],
    );
    return rows.length > 0;
  }
}

function isReply<D extends { kind: string }>(decision: D | ReplyDecision): decision is ReplyDecision {
  return decision.kind === 'reply';
}

/** An outcome that changes the ledger. */
export function recorded(change: LedgerChange): Outcome {
  return { reply: change.reply, change };
}
