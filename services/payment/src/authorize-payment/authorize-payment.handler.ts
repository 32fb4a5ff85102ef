import { Inject, Injectable } from '@nestjs/common';
import { AuthorizePaymentV1, uuidv7, type AuthorizePaymentCommand } from '@shop/contracts';
import type { MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import type { Logger } from '@shop/telemetry';
import {
  authorizationApproved,
  authorizationDeclined,
  authorizationUnknown,
  decideAuthorize,
  unknownAuthorizationVoided,
  type AuthorizeDecision,
  type Outcome,
  type Payment,
} from '../domain';
import { PaymentCommandRunner, recorded } from '../ledger/payment-command-runner';
import { PaymentLedger } from '../ledger/payment-ledger';
import { PAYMENT_LOGGER } from '../ledger/tokens';
import { idempotencyKeys } from '../provider/idempotency-keys';
import { PaymentProviderClient, type ProviderResult } from '../provider/provider-client';
import type { AuthorizeAnswer, VoidAnswer } from '../provider/simulated-provider';

type ProviderDecision = Exclude<AuthorizeDecision, { kind: 'reply' }>;
type Answer =
  | { kind: 'answered'; paymentId: string; result: ProviderResult<AuthorizeAnswer> }
  | { kind: 'unknown-voided'; result: VoidAnswer };

/**
 * Thrown when an authorize timed out and the possible hold could not be
 * voided: the consumer retries (bounded); if it never succeeds, the saga's
 * own timeout sends VoidPayment(paymentId null), which voids by the key.
 * Deliberately not a transient error (those are retried without limit).
 */
export class AuthorizationInDoubtError extends Error {
  override readonly name = 'AuthorizationInDoubtError';
}

/**
 * AuthorizePayment -> PaymentAuthorized | PaymentDeclined. The provider is
 * asked once per order (key = order id); a repeat gets the first answer.
 * Provider trouble: breaker open or a definite error -> declined
 * PROVIDER_UNAVAILABLE at once (nothing is held); a timeout (the provider may
 * have authorized) -> recorded as AUTHORIZATION_UNKNOWN, voided by the key,
 * then declined; if the void fails too, the command is retried.
 */
@Injectable()
export class AuthorizePaymentHandler {
  constructor(
    @Inject(PaymentCommandRunner) private readonly commands: PaymentCommandRunner,
    @Inject(PaymentLedger) private readonly ledger: PaymentLedger,
    @Inject(PaymentProviderClient) private readonly provider: PaymentProviderClient,
    @Inject(PAYMENT_LOGGER) private readonly logger: Logger,
  ) {}

  @HandleMessage(AuthorizePaymentV1)
  async handle(command: AuthorizePaymentCommand, context: MessageContext): Promise<void> {
    const request = command.payload;
    await this.commands.run<ProviderDecision, Answer>(command, context, {
      decide: decideAuthorize,
      call: (decision) =>
        decision.kind === 'authorize' ? this.authorize(command, context.attempt) : this.voidUnknown(command),
      record: (decision, answer, locked) => record(decision, answer, locked, request),
    });
  }

  private async authorize(command: AuthorizePaymentCommand, attempt: number): Promise<Answer> {
    const { orderId, amountCents, currency, paymentToken } = command.payload;
    const paymentId = uuidv7();
    const result = await this.provider.authorize({
      idempotencyKey: idempotencyKeys.authorize(orderId),
      amountCents,
      currency,
      token: paymentToken,
    });
    // On a retry an earlier attempt may have reached the provider (its record of that may have failed):
    // "not asked this time" then proves nothing, so it is treated like a timeout.
    const inDoubt =
      !result.ok && (result.failure === 'ambiguous' || (attempt > 1 && result.failure === 'unavailable'));
    if (!inDoubt) return { kind: 'answered', paymentId, result };
    this.logger.warn(
      { orderId, attempt, error: result.message },
      'authorize in doubt: voiding the possible hold',
    );
    await this.ledger.recordUnknownAuthorization(authorizationUnknown(command.payload, paymentId));
    return this.voidUnknown(command);
  }

  private async voidUnknown(command: AuthorizePaymentCommand): Promise<Answer> {
    const { orderId } = command.payload;
    const result = await this.provider.void({
      idempotencyKey: idempotencyKeys.void(orderId),
      authorizationKey: idempotencyKeys.authorize(orderId),
    });
    if (!result.ok) {
      this.logger.warn(
        { orderId, error: result.message },
        'possible hold not voided yet: the command will be retried',
      );
      throw new AuthorizationInDoubtError(
        `order ${orderId}: authorization in doubt, void failed (${result.message})`,
      );
    }
    return { kind: 'unknown-voided', result: result.value };
  }
}

function record(
  decision: ProviderDecision,
  answer: Answer,
  locked: Payment | null,
  request: AuthorizePaymentCommand['payload'],
): Outcome {
  if (decision.kind === 'void-unknown-authorization' && answer.kind === 'unknown-voided') {
    return recorded(
      unknownAuthorizationVoided(locked!, {
        authorizationId: answer.result.authorization?.id ?? null,
        voidReference: answer.result.reference,
      }),
    );
  }
  if (decision.kind === 'authorize' && answer.kind === 'answered') {
    const { result, paymentId } = answer;
    if (!result.ok) {
      // Not asked, a 503, or the request refused as such: nothing is held either way.
      const reason = result.failure === 'rejected' ? 'DECLINED' : 'PROVIDER_UNAVAILABLE';
      return recorded(authorizationDeclined(null, request, paymentId, reason));
    }
    return recorded(
      result.value.status === 'APPROVED'
        ? authorizationApproved(null, request, paymentId, result.value.authorizationId)
        : authorizationDeclined(null, request, paymentId, result.value.status),
    );
  }
  // Another delivery marked the authorization unknown meanwhile: only the void path may settle it.
  throw new AuthorizationInDoubtError(
    `order ${request.orderId}: the authorization is being resolved elsewhere`,
  );
}
