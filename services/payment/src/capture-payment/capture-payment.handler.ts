import { Inject, Injectable } from '@nestjs/common';
import { CapturePaymentV1, type CapturePaymentCommand } from '@shop/contracts';
import type { MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { captured, captureFailed, decideCapture, type CaptureDecision } from '../domain';
import { PaymentCommandRunner, recorded } from '../ledger/payment-command-runner';
import { idempotencyKeys } from '../provider/idempotency-keys';
import { failureReason, PaymentProviderClient, type ProviderResult } from '../provider/provider-client';
import type { OperationAnswer } from '../provider/simulated-provider';

type ProviderDecision = Exclude<CaptureDecision, { kind: 'reply' }>;

/**
 * CapturePayment -> PaymentCaptured | PaymentCaptureFailed. At most one
 * capture per payment (key capture:<paymentId>, and the ledger's
 * constraints); refused without an authorization; provider trouble ->
 * PaymentCaptureFailed, which the saga retries.
 */
@Injectable()
export class CapturePaymentHandler {
  constructor(
    @Inject(PaymentCommandRunner) private readonly commands: PaymentCommandRunner,
    @Inject(PaymentProviderClient) private readonly provider: PaymentProviderClient,
  ) {}

  @HandleMessage(CapturePaymentV1)
  async handle(command: CapturePaymentCommand, context: MessageContext): Promise<void> {
    const request = command.payload;
    await this.commands.run<ProviderDecision, ProviderResult<OperationAnswer>>(command, context, {
      decide: (payment) => decideCapture(payment, request),
      call: () =>
        this.provider.capture({
          idempotencyKey: idempotencyKeys.capture(request.paymentId),
          authorizationKey: idempotencyKeys.authorize(request.orderId),
          amountCents: request.amountCents,
        }),
      record: (decision, result) =>
        result.ok
          ? recorded(captured(decision.payment, request, result.value.reference))
          : { reply: captureFailed(request, failureReason(result)) },
    });
  }
}
