import {
  DEFAULT_SAGA_POLICY,
  handle,
  isSettled,
  retryDelayMs,
  startSaga,
  type OrderDecision,
  type SagaAlert,
  type SagaState,
} from './placement-saga';
import type { SagaCommand, SagaInput, SagaReply } from './saga-messages';

const T0 = new Date('2026-11-21T10:00:00Z');
const ORDER = 'o-1';
const { maxAttempts } = DEFAULT_SAGA_POLICY;

let ids = 0;
/** A reply as inventory or payment would send it, with a fresh message id. */
function reply<T extends SagaReply['type']>(
  type: T,
  fields: Omit<Extract<SagaReply, { type: T }>, 'type' | 'messageId' | 'orderId'>,
): SagaReply {
  return { type, messageId: `m-${++ids}`, orderId: ORDER, ...fields } as SagaReply;
}
const stockReserved = () => reply('StockReserved', { reservationId: 'r-1' });
const paymentAuthorized = (paymentId = 'pay-1') => reply('PaymentAuthorized', { paymentId });
const paymentCaptured = () => reply('PaymentCaptured', { paymentId: 'pay-1' });

/** A saga driven step by step, recording everything it produced. */
class Run {
  state: SagaState;
  now = T0;
  commands: SagaCommand[] = [];
  decisions: OrderDecision[] = [];
  alerts: SagaAlert[] = [];
  last: SagaCommand[] = [];
  /** What was given, and when: the input of the duplicate-delivery runs. */
  delivered: { input: SagaInput; at: Date }[] = [];

  constructor() {
    const started = startSaga(
      {
        orderId: ORDER,
        items: [{ productId: 'p-mug', quantity: 2 }],
        amountCents: 2500,
        currency: 'EUR',
        paymentToken: 'tok',
      },
      T0,
    );
    this.state = started.state;
    this.record(started.commands);
  }

  private record(commands: SagaCommand[]) {
    this.last = commands;
    this.commands.push(...commands);
  }

  give(input: SagaInput, at: Date = this.now): this {
    this.now = at;
    this.delivered.push({ input, at });
    const step = handle(this.state, input, at);
    this.state = step.state;
    this.record(step.commands);
    if (step.orderDecision) this.decisions.push(step.orderDecision);
    if (step.alert) this.alerts.push(step.alert);
    return this;
  }

  /** The scheduler fires the armed timer when it is due. */
  fireTimer(): this {
    const timer = this.state.timer;
    if (!timer) throw new Error('no timer armed');
    return this.give({ type: 'StepTimedOut', timerId: timer.id, step: timer.step }, new Date(timer.at));
  }

  lastTypes() {
    return this.last.map((c) => c.type);
  }

  count(type: SagaCommand['type']) {
    return this.commands.filter((c) => c.type === type).length;
  }
}

const atAuthorization = () => new Run().give(stockReserved());
const atCapture = () => atAuthorization().give(paymentAuthorized());

describe('placement saga: forward path', () => {
  it('starts by reserving stock with a reply timeout', () => {
    const run = new Run();
    expect(run.state).toMatchObject({ status: 'RESERVING_STOCK', attempts: 1 });
    expect(run.last).toEqual([
      { type: 'ReserveStock', orderId: ORDER, items: [{ productId: 'p-mug', quantity: 2 }] },
      {
        type: 'ScheduleTimeout',
        timerId: `${ORDER}:1`,
        step: 'RESERVE_STOCK',
        at: '2026-11-21T10:00:10.000Z',
      },
    ]);
  });

  it('happy path: reserve, authorize, confirm + commit + capture, completed', () => {
    const run = new Run().give(stockReserved());
    expect(run.state).toMatchObject({ status: 'AUTHORIZING_PAYMENT', reservationId: 'r-1' });
    expect(run.last[0]).toEqual({
      type: 'AuthorizePayment',
      orderId: ORDER,
      amountCents: 2500,
      currency: 'EUR',
      paymentToken: 'tok',
    });

    run.give(paymentAuthorized());
    expect(run.state).toMatchObject({ status: 'CAPTURING_PAYMENT', paymentId: 'pay-1' });
    expect(run.decisions).toEqual([{ type: 'confirm', paymentId: 'pay-1' }]);
    expect(run.last.slice(0, 2)).toEqual([
      { type: 'CommitStock', orderId: ORDER, reservationId: 'r-1' },
      { type: 'CapturePayment', orderId: ORDER, paymentId: 'pay-1', amountCents: 2500, currency: 'EUR' },
    ]);
    expect(run.lastTypes()[2]).toBe('ScheduleTimeout');

    run.give(paymentCaptured());
    expect(run.state).toMatchObject({ status: 'COMPLETED', timer: null });
    expect(run.last).toEqual([]);
    expect(run.decisions.at(-1)).toEqual({ type: 'recordPayment', outcome: 'CAPTURED', paymentId: 'pay-1' });
    expect(isSettled(run.state)).toBe(true);
  });

  it('a customer cancel after confirmation changes nothing', () => {
    const run = atCapture();
    const before = run.state;
    run.give({ type: 'CancelRequested', messageId: 'c-1' });
    expect(run.state).toBe(before);
    expect(run.last).toEqual([]);
  });
});

describe('placement saga: failures cancel and compensate', () => {
  it('out of stock: cancelled with the reason, nothing to compensate, no payment call ever', () => {
    const run = new Run().give(reply('StockReservationFailed', { reason: 'p-mug: 1 available' }));
    expect(run.state).toMatchObject({ status: 'CANCELLED', timer: null, compensations: [] });
    expect(run.decisions).toEqual([{ type: 'cancel', reason: 'OUT_OF_STOCK', detail: 'p-mug: 1 available' }]);
    expect(run.last).toEqual([]);
    // Stale timer, late duplicates of the failure: still nothing.
    run.give(
      { type: 'StepTimedOut', timerId: `${ORDER}:1`, step: 'RESERVE_STOCK' },
      new Date('2026-11-21T10:01:00Z'),
    );
    run.give(reply('StockReservationFailed', { reason: 'again' }));
    expect(run.commands.filter((c) => c.type.includes('Payment'))).toEqual([]);
    expect(run.state.status).toBe('CANCELLED');
  });

  it('declined payment: stock released, then CANCELLED', () => {
    const run = atAuthorization().give(reply('PaymentDeclined', { reason: 'insufficient funds' }));
    expect(run.decisions).toEqual([
      { type: 'cancel', reason: 'PAYMENT_DECLINED', detail: 'insufficient funds' },
    ]);
    expect(run.state.status).toBe('COMPENSATING');
    expect(run.last[0]).toEqual({ type: 'ReleaseStock', orderId: ORDER, reservationId: 'r-1' });
    run.give(reply('StockReleased', {}));
    expect(run.state).toMatchObject({ status: 'CANCELLED', compensations: [], timer: null });
    expect(run.count('CapturePayment') + run.count('VoidPayment')).toBe(0);
  });

  it('no reply to ReserveStock: cancelled, and the reservation that may exist is released', () => {
    const run = new Run().fireTimer();
    expect(run.decisions).toEqual([{ type: 'cancel', reason: 'STOCK_RESERVATION_TIMED_OUT' }]);
    expect(run.last[0]).toEqual({ type: 'ReleaseStock', orderId: ORDER, reservationId: null });
    run.give(reply('StockReleased', {}));
    expect(run.state.status).toBe('CANCELLED');
    expect(run.count('AuthorizePayment')).toBe(0);
  });

  it('no reply to AuthorizePayment (provider down): void first, then release, then CANCELLED', () => {
    const run = atAuthorization().fireTimer();
    expect(run.decisions).toEqual([{ type: 'cancel', reason: 'PAYMENT_TIMED_OUT' }]);
    expect(run.state.compensations).toEqual(['VOID_PAYMENT', 'RELEASE_STOCK']);
    expect(run.last[0]).toEqual({ type: 'VoidPayment', orderId: ORDER, paymentId: null });
    run.give(reply('PaymentVoided', {}));
    expect(run.last[0]).toEqual({ type: 'ReleaseStock', orderId: ORDER, reservationId: 'r-1' });
    expect(run.decisions).toHaveLength(1); // nothing to record: no authorization was known
    run.give(reply('StockReleased', {}));
    expect(run.state.status).toBe('CANCELLED');
    expect(run.count('CapturePayment')).toBe(0);
  });

  it('an ack for a compensation that is not the current one is ignored', () => {
    const run = atAuthorization().fireTimer();
    const before = run.state;
    run.give(reply('StockReleased', {}));
    expect(run.state).toBe(before);
  });

  it('customer cancel while reserving or authorizing compensates what may exist', () => {
    const reserving = new Run().give({
      type: 'CancelRequested',
      messageId: 'c-1',
      detail: 'changed my mind',
    });
    expect(reserving.decisions).toEqual([
      { type: 'cancel', reason: 'CUSTOMER_REQUEST', detail: 'changed my mind' },
    ]);
    expect(reserving.state.compensations).toEqual(['RELEASE_STOCK']);
    const authorizing = atAuthorization().give({ type: 'CancelRequested', messageId: 'c-1' });
    expect(authorizing.state.compensations).toEqual(['VOID_PAYMENT', 'RELEASE_STOCK']);
    expect(authorizing.lastTypes()[0]).toBe('VoidPayment');
  });
});

describe('placement saga: capture retries', () => {
  it('no reply to CapturePayment: the same capture is sent again after a backoff, then completes', () => {
    const run = atCapture().fireTimer();
    expect(run.last).toEqual([
      {
        type: 'ScheduleTimeout',
        timerId: `${ORDER}:4`,
        step: 'CAPTURE_PAYMENT',
        at: '2026-11-21T10:00:16.000Z',
      },
    ]);
    expect(run.state).toMatchObject({ status: 'CAPTURING_PAYMENT', timer: { purpose: 'RETRY' } });
    run.fireTimer();
    expect(run.state.attempts).toBe(2);
    expect(run.last[0]).toEqual({
      type: 'CapturePayment',
      orderId: ORDER,
      paymentId: 'pay-1',
      amountCents: 2500,
      currency: 'EUR',
    });
    run.give(paymentCaptured());
    expect(run.state.status).toBe('COMPLETED');
    expect(run.decisions.filter((d) => d.type === 'confirm')).toHaveLength(1);
  });

  it('a capture failure reply while a retry is already scheduled does not count twice', () => {
    const run = atCapture().give(reply('PaymentCaptureFailed', { reason: 'provider 503' }));
    const scheduled = run.state;
    run.give(reply('PaymentCaptureFailed', { reason: 'provider 503, late copy of another attempt' }));
    expect(run.state).toBe(scheduled);
    expect(run.state.attempts).toBe(1);
  });

  it('a capture that keeps failing parks the confirmed order with an alert; a late success completes it', () => {
    const run = atCapture();
    for (let i = 1; i < maxAttempts; i++)
      run.give(reply('PaymentCaptureFailed', { reason: 'provider 503' })).fireTimer();
    run.give(reply('PaymentCaptureFailed', { reason: 'provider 503' }));
    expect(run.count('CapturePayment')).toBe(maxAttempts);
    expect(run.state).toMatchObject({
      status: 'PARKED',
      timer: null,
      parked: { operation: 'CAPTURE_PAYMENT', reason: 'provider 503' },
    });
    expect(run.alerts).toEqual([
      { orderId: ORDER, operation: 'CAPTURE_PAYMENT', attempts: maxAttempts, reason: 'provider 503' },
    ]);
    run.give(paymentCaptured());
    expect(run.state).toMatchObject({ status: 'COMPLETED', parked: null });
  });
});

describe('placement saga: compensations that fail', () => {
  it('retries with exponential backoff, then parks with an alert instead of dropping', () => {
    const run = atAuthorization().give(reply('PaymentDeclined', { reason: 'declined' }));
    const delays: number[] = [];
    for (let i = 1; i < maxAttempts; i++) {
      run.give(reply('StockReleaseFailed', { reason: 'inventory down' }));
      delays.push(Date.parse(run.state.timer!.at) - run.now.getTime());
      run.fireTimer();
      expect(run.lastTypes()).toEqual(['ReleaseStock', 'ScheduleTimeout']);
    }
    expect(delays).toEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, DEFAULT_SAGA_POLICY)));
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    run.fireTimer(); // the last send gets no reply at all
    expect(run.count('ReleaseStock')).toBe(maxAttempts);
    expect(run.state).toMatchObject({
      status: 'PARKED',
      parked: { operation: 'RELEASE_STOCK' },
      compensations: ['RELEASE_STOCK'],
    });
    expect(run.alerts).toEqual([
      {
        orderId: ORDER,
        operation: 'RELEASE_STOCK',
        attempts: maxAttempts,
        reason: 'no reply within 10000 ms',
      },
    ]);
    expect(isSettled(run.state)).toBe(false);

    run.give({ type: 'ResumeParked', messageId: 'ops-1' });
    expect(run.state).toMatchObject({ status: 'COMPENSATING', attempts: 1, parked: null });
    expect(run.lastTypes()).toEqual(['ReleaseStock', 'ScheduleTimeout']);
    run.give(reply('StockReleased', {}));
    expect(run.state.status).toBe('CANCELLED');
  });

  it('a refund that keeps failing (provider down) parks; its eventual ack finishes the saga', () => {
    const run = atAuthorization()
      .fireTimer()
      .give(reply('PaymentVoided', {}))
      .give(reply('StockReleased', {}));
    run.give(paymentCaptured()); // money taken for a cancelled order (defensive): refund it
    expect(run.last[0]).toEqual({
      type: 'RefundPayment',
      orderId: ORDER,
      paymentId: 'pay-1',
      amountCents: 2500,
      currency: 'EUR',
    });
    for (let i = 1; i < maxAttempts; i++)
      run.give(reply('PaymentRefundFailed', { reason: 'provider down' })).fireTimer();
    run.give(reply('PaymentRefundFailed', { reason: 'provider down' }));
    expect(run.state.status).toBe('PARKED');
    expect(run.alerts).toHaveLength(1);
    run.give(reply('PaymentRefunded', {}));
    expect(run.state).toMatchObject({ status: 'CANCELLED', compensations: [], parked: null });
    expect(run.decisions.at(-1)).toEqual({ type: 'recordPayment', outcome: 'REFUNDED', paymentId: 'pay-1' });
  });

  it('a resume of a saga that is not parked does nothing', () => {
    const run = atCapture();
    const before = run.state;
    run.give({ type: 'ResumeParked', messageId: 'ops-1' });
    expect(run.state).toBe(before);
  });
});

describe('placement saga: late successes after cancellation are compensated', () => {
  it('a late StockReserved after the release was acknowledged releases again', () => {
    const run = new Run().fireTimer().give(reply('StockReleased', {}));
    expect(run.state.status).toBe('CANCELLED');
    run.give(stockReserved());
    expect(run.state).toMatchObject({ status: 'COMPENSATING', reservationId: 'r-1' });
    expect(run.last[0]).toEqual({ type: 'ReleaseStock', orderId: ORDER, reservationId: 'r-1' });
    run.give(reply('StockReleased', {}));
    expect(run.state.status).toBe('CANCELLED');
    expect(run.count('AuthorizePayment')).toBe(0);
    expect(run.decisions).toHaveLength(1);
  });

  it('a late StockReserved while the release is pending is covered by it (the id is kept)', () => {
    const run = new Run().fireTimer().give(stockReserved());
    expect(run.last).toEqual([]);
    expect(run.state).toMatchObject({ status: 'COMPENSATING', reservationId: 'r-1' });
    run.give(reply('StockReleaseFailed', { reason: 'busy' })).fireTimer();
    expect(run.last[0]).toEqual({ type: 'ReleaseStock', orderId: ORDER, reservationId: 'r-1' });
  });

  it('a late StockReserved after an out-of-stock cancel releases it', () => {
    const run = new Run()
      .give(reply('StockReservationFailed', { reason: 'none left' }))
      .give(stockReserved());
    expect(run.lastTypes()).toEqual(['ReleaseStock', 'ScheduleTimeout']);
  });

  it('a late PaymentAuthorized after cancellation voids that payment', () => {
    const run = atAuthorization()
      .fireTimer()
      .give(reply('PaymentVoided', {}))
      .give(reply('StockReleased', {}));
    run.give(paymentAuthorized('pay-late'));
    expect(run.last[0]).toEqual({ type: 'VoidPayment', orderId: ORDER, paymentId: 'pay-late' });
    run.give(reply('PaymentVoided', {}));
    expect(run.state.status).toBe('CANCELLED');
    expect(run.decisions.at(-1)).toEqual({ type: 'recordPayment', outcome: 'VOIDED', paymentId: 'pay-late' });
    expect(run.count('CapturePayment')).toBe(0);
    expect(run.decisions.some((d) => d.type === 'confirm')).toBe(false);
  });

  it('a late PaymentAuthorized while the void is pending names the payment for the retries', () => {
    const run = atAuthorization().fireTimer().give(paymentAuthorized('pay-late'));
    expect(run.last).toEqual([]);
    run.give(reply('PaymentVoidFailed', { reason: 'busy' })).fireTimer();
    expect(run.last[0]).toEqual({ type: 'VoidPayment', orderId: ORDER, paymentId: 'pay-late' });
  });

  it('a late success queued behind the compensation in progress runs after it', () => {
    const run = atAuthorization()
      .give(reply('PaymentDeclined', { reason: 'no' }))
      .give(paymentAuthorized('pay-odd'));
    expect(run.state.compensations).toEqual(['RELEASE_STOCK', 'VOID_PAYMENT']);
    expect(run.last).toEqual([]);
    run.give(reply('StockReleased', {}));
    expect(run.last[0]).toEqual({ type: 'VoidPayment', orderId: ORDER, paymentId: 'pay-odd' });
  });
});

describe('placement saga: stale and duplicate inputs', () => {
  it('ignores a replaced timer and a timer that fires early', () => {
    const run = atAuthorization();
    const before = run.state;
    run.give(
      { type: 'StepTimedOut', timerId: `${ORDER}:1`, step: 'RESERVE_STOCK' },
      new Date('2026-11-21T10:05:00Z'),
    );
    run.give(
      { type: 'StepTimedOut', timerId: before.timer!.id, step: 'AUTHORIZE_PAYMENT' },
      new Date(Date.parse(before.timer!.at) - 1),
    );
    expect(run.state).toBe(before);
    expect(run.commands.filter((c) => c.type !== 'ScheduleTimeout').map((c) => c.type)).toEqual([
      'ReserveStock',
      'AuthorizePayment',
    ]);
  });

  it('replies for a step the saga has left change nothing', () => {
    const run = atCapture();
    const before = run.state;
    run.give(stockReserved());
    run.give(reply('StockReservationFailed', { reason: 'late' }));
    run.give(reply('PaymentDeclined', { reason: 'late' }));
    run.give(paymentAuthorized());
    run.give(reply('StockReleased', {}));
    expect(run.state).toBe(before);
    expect(run.count('CapturePayment')).toBe(1);
    expect(run.count('ReserveStock')).toBe(1);
  });

  it('refuses a reply routed to the wrong saga', () => {
    const run = new Run();
    expect(() => handle(run.state, { ...stockReserved(), orderId: 'o-2' }, T0)).toThrow(
      'routed to the saga of order o-1',
    );
  });

  it('the state survives a JSON round trip at every step (a restart mid-saga) with the same outcome', () => {
    const script: Script = [
      stockReserved(),
      paymentAuthorized(),
      reply('PaymentCaptureFailed', { reason: 'x' }),
      'timer',
      paymentCaptured(),
    ];
    const plain = play(script);
    const restarted = play(script, { restartEachStep: true });
    expect(restarted.state).toEqual(plain.state);
    expect(restarted.commands).toEqual(plain.commands);
    expect(restarted.decisions).toEqual(plain.decisions);
    expect(plain.state.status).toBe('COMPLETED');
  });
});

/** A scenario: replies and scheduler firings ('timer' = the armed timer fires when due). */
type Script = (SagaInput | 'timer')[];

function play(script: Script, options: { restartEachStep?: boolean } = {}): Run {
  const run = new Run();
  for (const step of script) {
    if (options.restartEachStep) run.state = JSON.parse(JSON.stringify(run.state)) as SagaState;
    if (step === 'timer') run.fireTimer();
    else run.give(step);
  }
  return run;
}

/** Deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every delivery twice: the copy lands at a random later position; time never goes back. */
function withDuplicates(deliveries: Run['delivered'], seed: number): Run['delivered'] {
  const next = random(seed);
  const sequence = [...deliveries];
  for (const delivery of deliveries) {
    const from = sequence.indexOf(delivery) + 1;
    sequence.splice(from + Math.floor(next() * (sequence.length - from + 1)), 0, { ...delivery });
  }
  let clock = 0;
  return sequence.map((d) => {
    clock = Math.max(clock, d.at.getTime());
    return { input: d.input, at: new Date(clock) };
  });
}

const failRelease = () => reply('StockReleaseFailed', { reason: 'down' });
const scenarios: Record<string, () => Script> = {
  'happy path': () => [stockReserved(), paymentAuthorized(), paymentCaptured()],
  'out of stock': () => [reply('StockReservationFailed', { reason: 'none' })],
  declined: () => [stockReserved(), reply('PaymentDeclined', { reason: 'no' }), reply('StockReleased', {})],
  'reserve timeout, late reservation': () => ['timer', stockReserved(), reply('StockReleased', {})],
  'authorize timeout, late authorization': () => [
    stockReserved(),
    'timer',
    reply('PaymentVoided', {}),
    reply('StockReleased', {}),
    paymentAuthorized('pay-late'),
    reply('PaymentVoided', {}),
  ],
  'capture retried': () => [stockReserved(), paymentAuthorized(), 'timer', 'timer', paymentCaptured()],
  'compensation parked, resumed': () => [
    stockReserved(),
    reply('PaymentDeclined', { reason: 'no' }),
    ...Array.from({ length: maxAttempts - 1 }, (): Script => [failRelease(), 'timer']).flat(),
    failRelease(),
    { type: 'ResumeParked', messageId: 'ops-1' },
    reply('StockReleased', {}),
  ],
  'customer cancel': () => [
    stockReserved(),
    { type: 'CancelRequested', messageId: 'c-1' },
    reply('PaymentVoided', {}),
    reply('StockReleased', {}),
  ],
};

/**
 * The money and stock rules, whatever the run: one ReserveStock; captures
 * only after the confirm decision, never with a cancel, for the authorized
 * payment, at most maxAttempts sends; no AuthorizePayment after a failed
 * reservation.
 */
function expectSafe(run: Run) {
  expect(run.count('ReserveStock')).toBe(1);
  const captures = run.commands.filter((c) => c.type === 'CapturePayment');
  const confirm = run.decisions.find((d) => d.type === 'confirm');
  if (captures.length) {
    expect(confirm).toBeDefined();
    expect(captures.every((c) => c.paymentId === confirm!.paymentId)).toBe(true);
    expect(run.decisions.some((d) => d.type === 'cancel')).toBe(false);
  }
  expect(captures.length).toBeLessThanOrEqual(maxAttempts);
  if (run.decisions.some((d) => d.type === 'cancel' && d.reason === 'OUT_OF_STOCK'))
    expect(run.count('AuthorizePayment')).toBe(0);
}

describe('placement saga: every message delivered twice', () => {
  describe.each(Object.entries(scenarios))('%s', (_name, script) => {
    const base = play(script());

    it('settles without duplicates, keeping the money and stock rules', () => {
      expect(isSettled(base.state)).toBe(true);
      expectSafe(base);
    });

    it('gives the same commands, decisions and final state for 100 random interleavings of copies', () => {
      for (let seed = 1; seed <= 100; seed++) {
        const run = new Run();
        for (const { input, at } of withDuplicates(base.delivered, seed)) run.give(input, at);
        expectSafe(run);
        expect(run.commands).toEqual(base.commands);
        expect(run.decisions).toEqual(base.decisions);
        expect(run.alerts).toEqual(base.alerts);
        expect(run.state).toEqual(base.state);
      }
    });
  });

  it('a reply sent twice under two message ids (a receiver that answered twice) does not repeat the happy path', () => {
    const twice = (input: SagaReply): Script => [input, { ...input, messageId: `${input.messageId}-again` }];
    const run = play([...twice(stockReserved()), ...twice(paymentAuthorized()), ...twice(paymentCaptured())]);
    expect(run.count('ReserveStock')).toBe(1);
    expect(run.count('AuthorizePayment')).toBe(1);
    expect(run.count('CapturePayment')).toBe(1);
    expect(run.decisions.filter((d) => d.type === 'confirm')).toHaveLength(1);
    expect(run.state.status).toBe('COMPLETED');
  });
});
