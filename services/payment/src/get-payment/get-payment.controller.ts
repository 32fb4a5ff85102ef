import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiError } from '@shop/contracts';
import { RolesGuard, uuidParam, zodParam } from '@shop/service-kit';
import { ledgerTotals, type LedgerTotals, type Payment } from '../domain';
import { PaymentLedger, type StoredLedgerEntry } from '../ledger/payment-ledger';

export interface PaymentView extends Omit<Payment, 'entries'> {
  entries: StoredLedgerEntry[];
  totals: LedgerTotals;
}

/** Admin read of one order's payment and its ledger entries (tests, chaos checks, support). */
@Controller('payments/orders')
export class GetPaymentController {
  constructor(@Inject(PaymentLedger) private readonly ledger: PaymentLedger) {}

  @Get(':orderId')
  @UseGuards(RolesGuard('admin'))
  async get(@Param('orderId', zodParam(uuidParam)) orderId: string): Promise<PaymentView> {
    const payment = await this.ledger.find(orderId);
    if (!payment) throw new ApiError('NOT_FOUND', `No payment for order ${orderId}`);
    const { entries, ...rest } = payment;
    return { ...rest, entries: await this.ledger.entries(payment.id), totals: ledgerTotals(entries) };
  }
}
