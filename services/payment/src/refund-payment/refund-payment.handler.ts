import { Inject, Injectable } from '@nestjs/common';
import { RefundPaymentV1, type RefundPaymentCommand } from '@shop/contracts';
import type { MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { decideRefund, refunded, refundFailed, type RefundDecision } from '../domain';
import { PaymentCommandRunner, recorded } from '../ledger/payment-command-runner';
import { idempotencyKeys } from '../provider/idempotency-keys';
import { failureReason, PaymentProviderClient, type ProviderResult } from '../provider/provider-client';
import type { OperationAnswer } from '../provider/simulated-provider';

type ProviderDecision = Exclude<RefundDecision, { kind: 'reply' }>;

/**
 * RefundPayment -> PaymentRefunded | PaymentRefundFailed. Only after a
 * capture, at most once (key refund:<paymentId>, and the ledger's
 * constraints); provider trouble -> PaymentRefundFailed (the saga retries).
 */
@Injectable()
export class RefundPaymentHandler {
  constructor(
    @Inject(PaymentCommandRunner) private readonly commands: PaymentCommandRunner,
    @Inject(PaymentProviderClient) private readonly provider: PaymentProviderClient,
  ) {}

  @HandleMessage(RefundPaymentV1)
  async handle(command: RefundPaymentCommand, context: MessageContext): Promise<void> {
    const request = command.payload;
    await this.commands.run<ProviderDecision, ProviderResult<OperationAnswer>>(command, context, {
      decide: (payment) => decideRefund(payment, request),
      call: () =>
        this.provider.refund({
          idempotencyKey: idempotencyKeys.refund(request.paymentId),
          authorizationKey: idempotencyKeys.authorize(request.orderId),
          amountCents: request.amountCents,
        }),
      record: (decision, result) =>
        result.ok
          ? recorded(refunded(decision.payment, request, result.value.reference))
          : { reply: refundFailed(request, failureReason(result)) },
    });
  }
}
