import {
  authorizationApproved,
  authorizationDeclined,
  authorizationUnknown,
  captured,
  decideAuthorize,
  decideCapture,
  decideRefund,
  decideVoid,
  firstAuthorizeOutcome,
  ledgerTotals,
  refunded,
  unknownAuthorizationVoided,
  voided,
  type AuthorizeRequest,
  type LedgerChange,
  type MoneyRequest,
  type Payment,
} from '.';

const orderId = '0190f0d0-0000-7000-8000-0000000000a1';
const paymentId = '0190f0d0-0000-7000-8000-0000000000b1';
const authorize: AuthorizeRequest = { orderId, amountCents: 4_200, currency: 'EUR' };
const money: MoneyRequest = { orderId, paymentId, amountCents: 4_200, currency: 'EUR' };

const authorized = (): Payment => authorizationApproved(null, authorize, paymentId, 'auth-1').payment;
const capturedPayment = (): Payment => captured(authorized(), money, 'cap-1').payment;
const refundedPayment = (): Payment => refunded(capturedPayment(), money, 'ref-1').payment;
const declined = (): Payment => authorizationDeclined(null, authorize, paymentId, 'DECLINED').payment;
const unknown = (): Payment => authorizationUnknown(authorize, paymentId);
const voidedPayment = (): Payment =>
  voided(authorized(), { orderId, paymentId }, 'unused', {
    voidReference: 'void-1',
    authorization: { id: 'auth-1', amountCents: 4_200, currency: 'EUR' },
  }).payment;
const closedBeforeAuthorization = (): Payment =>
  voided(null, { orderId, paymentId: null }, paymentId, { voidReference: 'void-1', authorization: null })
    .payment;

const kinds = (change: LedgerChange) => change.newEntries.map((entry) => entry.kind);

describe('authorize', () => {
  it('asks the provider only when the ledger knows nothing of the order', () => {
    expect(decideAuthorize(null)).toEqual({ kind: 'authorize' });
  });

  it('an approval records the payment AUTHORIZED with one AUTHORIZE entry and replies PaymentAuthorized', () => {
    const change = authorizationApproved(null, authorize, paymentId, 'auth-1');
    expect(change.previousStatus).toBeNull();
    expect(change.payment).toMatchObject({
      status: 'AUTHORIZED',
      providerAuthorizationId: 'auth-1',
      version: 1,
    });
    expect(change.newEntries).toEqual([
      { kind: 'AUTHORIZE', amountCents: 4_200, currency: 'EUR', providerReference: 'auth-1' },
    ]);
    expect(change.reply).toEqual({
      type: 'PaymentAuthorized',
      orderId,
      paymentId,
      amountCents: 4_200,
      currency: 'EUR',
    });
  });

  it.each(['DECLINED', 'INSUFFICIENT_FUNDS', 'PROVIDER_UNAVAILABLE'] as const)(
    'a decline (%s) records no entry: nothing is held',
    (reason) => {
      const change = authorizationDeclined(null, authorize, paymentId, reason);
      expect(change.payment).toMatchObject({ status: 'DECLINED', declineReason: reason });
      expect(change.newEntries).toEqual([]);
      expect(change.reply).toEqual({ type: 'PaymentDeclined', orderId, reason });
    },
  );

  it('a repeated command gets the first outcome, whatever happened since', () => {
    const first = { type: 'PaymentAuthorized', orderId, paymentId, amountCents: 4_200, currency: 'EUR' };
    for (const payment of [authorized(), capturedPayment(), refundedPayment(), voidedPayment()])
      expect(decideAuthorize(payment)).toEqual({ kind: 'reply', reply: first });
    expect(decideAuthorize(declined())).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentDeclined', orderId, reason: 'DECLINED' },
    });
  });

  it('an order voided before any authorization is declined, never authorized', () => {
    expect(decideAuthorize(closedBeforeAuthorization())).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentDeclined', orderId, reason: 'DECLINED' },
    });
  });

  it('a timed-out authorization must be voided before anything else is said', () => {
    expect(unknown()).toMatchObject({ status: 'AUTHORIZATION_UNKNOWN', amountCents: 4_200, entries: [] });
    expect(decideAuthorize(unknown())).toEqual({ kind: 'void-unknown-authorization' });
  });

  it('voiding a timed-out authorization the provider had made records it and its void, then declines', () => {
    const change = unknownAuthorizationVoided(unknown(), {
      authorizationId: 'auth-9',
      voidReference: 'void-9',
    });
    expect(change.previousStatus).toBe('AUTHORIZATION_UNKNOWN');
    expect(kinds(change)).toEqual(['AUTHORIZE', 'VOID']);
    expect(change.payment).toMatchObject({
      status: 'VOIDED',
      declineReason: 'PROVIDER_UNAVAILABLE',
      providerAuthorizationId: 'auth-9',
    });
    expect(change.reply).toEqual({ type: 'PaymentDeclined', orderId, reason: 'PROVIDER_UNAVAILABLE' });
    expect(firstAuthorizeOutcome(change.payment)).toEqual(change.reply);
  });

  it('voiding a timed-out authorization the provider never made records nothing but the decline', () => {
    const change = unknownAuthorizationVoided(unknown(), { authorizationId: null, voidReference: 'void-9' });
    expect(change.newEntries).toEqual([]);
    expect(change.payment).toMatchObject({ status: 'VOIDED', providerAuthorizationId: null });
    expect(change.reply).toEqual({ type: 'PaymentDeclined', orderId, reason: 'PROVIDER_UNAVAILABLE' });
  });
});

describe('capture', () => {
  it('captures an AUTHORIZED payment once, with a CAPTURE entry', () => {
    expect(decideCapture(authorized(), money)).toEqual({ kind: 'capture', payment: authorized() });
    const change = captured(authorized(), money, 'cap-1');
    expect(change.previousStatus).toBe('AUTHORIZED');
    expect(change.payment.status).toBe('CAPTURED');
    expect(kinds(change)).toEqual(['CAPTURE']);
    expect(change.reply).toEqual({
      type: 'PaymentCaptured',
      orderId,
      paymentId,
      amountCents: 4_200,
      currency: 'EUR',
    });
  });

  it('never captures twice: a captured (or since refunded) payment repeats PaymentCaptured', () => {
    const reply = { type: 'PaymentCaptured', orderId, paymentId, amountCents: 4_200, currency: 'EUR' };
    expect(decideCapture(capturedPayment(), money)).toEqual({ kind: 'reply', reply });
    expect(decideCapture(refundedPayment(), money)).toEqual({ kind: 'reply', reply });
    // Even a retry asking for another amount gets the capture that happened.
    expect(decideCapture(capturedPayment(), { ...money, amountCents: 100 })).toEqual({
      kind: 'reply',
      reply,
    });
  });

  it.each([
    ['no payment', null, 'NOT_AUTHORIZED'],
    ['a declined payment', declined(), 'NOT_AUTHORIZED'],
    ['an authorization in doubt', unknown(), 'NOT_AUTHORIZED'],
    ['a voided payment', voidedPayment(), 'PAYMENT_VOIDED'],
    ['an order voided before authorization', closedBeforeAuthorization(), 'PAYMENT_VOIDED'],
  ])('never captures without an authorization: %s -> refused', (_label, payment, reason) => {
    expect(decideCapture(payment, money)).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentCaptureFailed', orderId, paymentId, reason },
    });
  });

  it('refuses another payment id, another currency and more than was authorized', () => {
    const refused = (request: MoneyRequest) => decideCapture(authorized(), request);
    expect(refused({ ...money, paymentId: orderId })).toMatchObject({ reply: { reason: 'UNKNOWN_PAYMENT' } });
    expect(refused({ ...money, currency: 'USD' })).toMatchObject({ reply: { reason: 'CURRENCY_MISMATCH' } });
    expect(refused({ ...money, amountCents: 4_201 })).toMatchObject({
      reply: { reason: 'AMOUNT_EXCEEDS_AUTHORIZATION' },
    });
    expect(refused({ ...money, amountCents: 4_000 })).toMatchObject({ kind: 'capture' });
  });
});

describe('refund', () => {
  it('refunds only after capture, with a REFUND entry', () => {
    expect(decideRefund(capturedPayment(), money)).toMatchObject({ kind: 'refund' });
    const change = refunded(capturedPayment(), money, 'ref-1');
    expect(change.payment.status).toBe('REFUNDED');
    expect(kinds(change)).toEqual(['REFUND']);
    expect(change.reply).toEqual({
      type: 'PaymentRefunded',
      orderId,
      paymentId,
      amountCents: 4_200,
      currency: 'EUR',
    });
  });

  it.each([
    ['no payment', null],
    ['an authorized payment', authorized()],
    ['a declined payment', declined()],
    ['a voided payment', voidedPayment()],
    ['an authorization in doubt', unknown()],
  ])('refuses before capture: %s', (_label, payment) => {
    expect(decideRefund(payment, money)).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentRefundFailed', orderId, paymentId, reason: 'NOT_CAPTURED' },
    });
  });

  it('refunds at most once: a refunded payment repeats PaymentRefunded', () => {
    expect(decideRefund(refundedPayment(), money)).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentRefunded', orderId, paymentId, amountCents: 4_200, currency: 'EUR' },
    });
  });

  it('refuses another payment id, another currency and more than was captured', () => {
    const refused = (request: MoneyRequest) => decideRefund(capturedPayment(), request);
    expect(refused({ ...money, paymentId: orderId })).toMatchObject({ reply: { reason: 'UNKNOWN_PAYMENT' } });
    expect(refused({ ...money, currency: 'USD' })).toMatchObject({ reply: { reason: 'CURRENCY_MISMATCH' } });
    expect(refused({ ...money, amountCents: 4_201 })).toMatchObject({
      reply: { reason: 'AMOUNT_EXCEEDS_CAPTURE' },
    });
  });
});

describe('void', () => {
  const auth = { id: 'auth-1', amountCents: 4_200, currency: 'EUR' };

  it('voids a recorded authorization: VOID entry, PaymentVoided with its id', () => {
    expect(decideVoid(authorized(), { orderId, paymentId })).toEqual({ kind: 'void', payment: authorized() });
    const change = voided(authorized(), { orderId, paymentId }, 'unused', {
      voidReference: 'void-1',
      authorization: auth,
    });
    expect(change.previousStatus).toBe('AUTHORIZED');
    expect(kinds(change)).toEqual(['VOID']);
    expect(change.payment.status).toBe('VOIDED');
    expect(change.reply).toEqual({ type: 'PaymentVoided', orderId, paymentId });
  });

  it('paymentId null: asks the provider by the order key even when the ledger knows nothing', () => {
    expect(decideVoid(null, { orderId, paymentId: null })).toEqual({ kind: 'void', payment: null });
    expect(decideVoid(declined(), { orderId, paymentId: null })).toEqual({
      kind: 'void',
      payment: declined(),
    });
    expect(decideVoid(unknown(), { orderId, paymentId: null })).toEqual({ kind: 'void', payment: unknown() });
    expect(decideVoid(authorized(), { orderId, paymentId: null })).toEqual({
      kind: 'void',
      payment: authorized(),
    });
  });

  it('an authorization only the provider knew is recorded with its void, under a new payment', () => {
    const change = voided(null, { orderId, paymentId: null }, paymentId, {
      voidReference: 'void-1',
      authorization: auth,
    });
    expect(change.previousStatus).toBeNull();
    expect(kinds(change)).toEqual(['AUTHORIZE', 'VOID']);
    expect(change.payment).toMatchObject({
      id: paymentId,
      status: 'VOIDED',
      providerAuthorizationId: 'auth-1',
    });
    expect(change.reply).toEqual({ type: 'PaymentVoided', orderId, paymentId });
  });

  it('after voiding an authorization the ledger never recorded, a late authorize is declined', () => {
    const change = voided(null, { orderId, paymentId: null }, paymentId, {
      voidReference: 'void-1',
      authorization: auth,
    });
    expect(decideAuthorize(change.payment)).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentDeclined', orderId, reason: 'DECLINED' },
    });
    const afterDecline = voided(declined(), { orderId, paymentId: null }, 'unused', {
      voidReference: 'v',
      authorization: null,
    });
    expect(firstAuthorizeOutcome(afterDecline.payment)).toEqual({
      type: 'PaymentDeclined',
      orderId,
      reason: 'DECLINED',
    });
    expect(afterDecline.reply).toEqual({ type: 'PaymentVoided', orderId, paymentId: null });
  });

  it('nothing held anywhere: PaymentVoided with paymentId null, and the order is closed', () => {
    const change = voided(null, { orderId, paymentId: null }, paymentId, {
      voidReference: 'void-1',
      authorization: null,
    });
    expect(change.newEntries).toEqual([]);
    expect(change.payment.status).toBe('VOIDED');
    expect(change.reply).toEqual({ type: 'PaymentVoided', orderId, paymentId: null });
  });

  it('a timed-out authorization voided by the saga answers a late authorize with a decline', () => {
    const change = voided(unknown(), { orderId, paymentId: null }, 'unused', {
      voidReference: 'void-1',
      authorization: auth,
    });
    expect(kinds(change)).toEqual(['AUTHORIZE', 'VOID']);
    expect(firstAuthorizeOutcome(change.payment)).toEqual({
      type: 'PaymentDeclined',
      orderId,
      reason: 'PROVIDER_UNAVAILABLE',
    });
  });

  it('a voided payment repeats its PaymentVoided without asking the provider', () => {
    expect(decideVoid(voidedPayment(), { orderId, paymentId })).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentVoided', orderId, paymentId },
    });
    expect(decideVoid(closedBeforeAuthorization(), { orderId, paymentId: null })).toEqual({
      kind: 'reply',
      reply: { type: 'PaymentVoided', orderId, paymentId: null },
    });
  });

  it('refuses to void captured money (that takes a refund) and another payment id', () => {
    expect(decideVoid(capturedPayment(), { orderId, paymentId })).toMatchObject({
      reply: { reason: 'PAYMENT_CAPTURED' },
    });
    expect(decideVoid(refundedPayment(), { orderId, paymentId: null })).toMatchObject({
      reply: { type: 'PaymentVoidFailed', reason: 'PAYMENT_CAPTURED' },
    });
    expect(decideVoid(authorized(), { orderId, paymentId: orderId })).toMatchObject({
      reply: { type: 'PaymentVoidFailed', reason: 'UNKNOWN_PAYMENT' },
    });
  });
});

describe('ledger totals', () => {
  it('captures minus refunds per order', () => {
    expect(ledgerTotals(capturedPayment().entries)).toEqual({
      authorizedCents: 4_200,
      capturedCents: 4_200,
      voidedCents: 0,
      refundedCents: 0,
      netCapturedCents: 4_200,
    });
    expect(ledgerTotals(refundedPayment().entries).netCapturedCents).toBe(0);
    expect(ledgerTotals(voidedPayment().entries)).toMatchObject({ voidedCents: 4_200, netCapturedCents: 0 });
  });

  it('every change raises the version by one', () => {
    expect([authorized(), capturedPayment(), refundedPayment()].map((p) => p.version)).toEqual([1, 2, 3]);
  });
});
