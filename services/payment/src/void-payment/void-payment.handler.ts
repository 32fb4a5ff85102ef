import { Inject, Injectable } from '@nestjs/common';
import { uuidv7, VoidPaymentV1, type VoidPaymentCommand } from '@shop/contracts';
import type { MessageContext } from '@shop/messaging';
import { HandleMessage } from '@shop/messaging/nest';
import { decideVoid, voided, voidFailed, type VoidDecision } from '../domain';
import { PaymentCommandRunner, recorded } from '../ledger/payment-command-runner';
import { idempotencyKeys } from '../provider/idempotency-keys';
import { failureReason, PaymentProviderClient, type ProviderResult } from '../provider/provider-client';
import type { VoidAnswer } from '../provider/simulated-provider';

type ProviderDecision = Exclude<VoidDecision, { kind: 'reply' }>;

/**
 * VoidPayment -> PaymentVoided | PaymentVoidFailed. Voids at the provider by
 * the order's authorization key, so an authorization the ledger never
 * recorded (crash after the provider's answer, timed-out authorize) is
 * released too; paymentId null in the reply when nothing was ever held.
 */
@Injectable()
export class VoidPaymentHandler {
  constructor(
    @Inject(PaymentCommandRunner) private readonly commands: PaymentCommandRunner,
    @Inject(PaymentProviderClient) private readonly provider: PaymentProviderClient,
  ) {}

  @HandleMessage(VoidPaymentV1)
  async handle(command: VoidPaymentCommand, context: MessageContext): Promise<void> {
    const request = command.payload;
    await this.commands.run<ProviderDecision, ProviderResult<VoidAnswer>>(command, context, {
      decide: (payment) => decideVoid(payment, request),
      call: () =>
        this.provider.void({
          idempotencyKey: idempotencyKeys.void(request.orderId),
          authorizationKey: idempotencyKeys.authorize(request.orderId),
        }),
      record: (decision, result) =>
        result.ok
          ? recorded(
              voided(decision.payment, request, uuidv7(), {
                voidReference: result.value.reference,
                authorization: result.value.authorization,
              }),
            )
          : { reply: voidFailed(request, failureReason(result)) },
    });
  }
}
