/**
 * The order placement saga as a pure process manager:
 * `handle(state, input, now)` -> the next state, the commands to send, and
 * at most one decision for the Order aggregate. The service persists the
 * state and writes the commands to its outbox in one transaction; the
 * transition table is in README.md.
 */
import type { CancellationReason, PaymentOutcome } from './order';
import type {
  SagaCommand,
  SagaInput,
  SagaOperation,
  SagaReply,
  ScheduleTimeout,
  StockItem,
  StepTimedOut,
} from './saga-messages';

export type SagaStatus =
  | 'RESERVING_STOCK'
  | 'AUTHORIZING_PAYMENT'
  | 'CAPTURING_PAYMENT'
  | 'COMPENSATING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'PARKED';

export type Compensation = Extract<SagaOperation, 'VOID_PAYMENT' | 'REFUND_PAYMENT' | 'RELEASE_STOCK'>;

/** REPLY: how long to wait for the operation's reply; RETRY: backoff before sending it again. */
export interface SagaTimer {
  id: string;
  step: SagaOperation;
  purpose: 'REPLY' | 'RETRY';
  at: string;
}

/** Plain JSON: stored as is (a jsonb column), times as ISO strings. */
export interface SagaState {
  orderId: string;
  items: StockItem[];
  amountCents: number;
  currency: string;
  paymentToken: string;
  status: SagaStatus;
  reservationId: string | null;
  paymentId: string | null;
  cancellation: { reason: CancellationReason; detail?: string } | null;
  /** Compensations not yet acknowledged, in order; the head is the one in progress. */
  compensations: Compensation[];
  /** Sends of the operation in progress (the capture or the head compensation). */
  attempts: number;
  timer: SagaTimer | null;
  /** Counter for unique timer ids: a timer that fires after being replaced is recognized as stale. */
  timersArmed: number;
  parked: { operation: SagaOperation; reason: string; at: string } | null;
  /**
   * Ids of the messages that changed this saga: a redelivered copy is
   * ignored. Bounded by the saga itself: a handful of replies per
   * operation, at most `maxAttempts` sends per operation.
   */
  handledMessageIds: string[];
  startedAt: string;
  updatedAt: string;
}

export type OrderDecision =
  | { type: 'confirm'; paymentId: string }
  | { type: 'cancel'; reason: CancellationReason; detail?: string }
  | { type: 'recordPayment'; outcome: PaymentOutcome; paymentId: string };

/** Raised when the saga parks: someone has to look (log at error level, page, metric). */
export interface SagaAlert {
  orderId: string;
  operation: SagaOperation;
  attempts: number;
  reason: string;
}

export interface SagaStep {
  state: SagaState;
  commands: SagaCommand[];
  orderDecision?: OrderDecision;
  alert?: SagaAlert;
}

export interface SagaPolicy {
  /** How long each operation may go without a reply. Forward steps then compensate; the rest retry. */
  replyTimeoutMs: Record<SagaOperation, number>;
  /** Sends of a capture or compensation before the saga parks. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

// Reserve + authorize timeouts (10 + 15 s) keep every order's outcome well
// inside the 60 s the chaos suite allows, with room for a slow broker.
export const DEFAULT_SAGA_POLICY: SagaPolicy = {
  replyTimeoutMs: {
    RESERVE_STOCK: 10_000,
    AUTHORIZE_PAYMENT: 15_000,
    CAPTURE_PAYMENT: 15_000,
    VOID_PAYMENT: 15_000,
    REFUND_PAYMENT: 15_000,
    RELEASE_STOCK: 10_000,
  },
  maxAttempts: 5,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
};

/** Exponential backoff after the n-th failed send (1-based), capped; no jitter, the saga is deterministic. */
export function retryDelayMs(failedAttempts: number, policy: SagaPolicy): number {
  return Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** (failedAttempts - 1));
}

export interface SagaStart {
  orderId: string;
  items: StockItem[];
  amountCents: number;
  currency: string;
  paymentToken: string;
}

/** Begins the saga for a placed order: ReserveStock and its timeout. */
export function startSaga(start: SagaStart, now: Date, policy: SagaPolicy = DEFAULT_SAGA_POLICY): SagaStep {
  const at = now.toISOString();
  const state: SagaState = {
    ...start,
    items: start.items.map((item) => ({ ...item })),
    status: 'RESERVING_STOCK',
    reservationId: null,
    paymentId: null,
    cancellation: null,
    compensations: [],
    attempts: 1,
    timer: null,
    timersArmed: 0,
    parked: null,
    handledMessageIds: [],
    startedAt: at,
    updatedAt: at,
  };
  return send(state, 'RESERVE_STOCK', now, policy);
}

/**
 * The saga's reaction to one input. Duplicates (a message id already
 * handled), stale inputs (a reply for a step the saga has left, a timer
 * that was replaced) and replies that change nothing return the state
 * untouched and no commands.
 */
export function handle(
  state: SagaState,
  input: SagaInput,
  now: Date,
  policy: SagaPolicy = DEFAULT_SAGA_POLICY,
): SagaStep {
  if ('orderId' in input && input.orderId !== state.orderId)
    throw new Error(`reply for order ${input.orderId} routed to the saga of order ${state.orderId}`);
  if ('messageId' in input && state.handledMessageIds.includes(input.messageId))
    return { state, commands: [] };
  const step = decide(state, input, now, policy);
  if (!step) return { state, commands: [] };
  const handledMessageIds =
    'messageId' in input ? [...step.state.handledMessageIds, input.messageId] : step.state.handledMessageIds;
  return { ...step, state: { ...step.state, handledMessageIds, updatedAt: now.toISOString() } };
}

/** The saga is finished: nothing more will be sent unless a late success needs compensating. */
export function isSettled(state: SagaState): boolean {
  return state.status === 'COMPLETED' || state.status === 'CANCELLED';
}

type Decision = SagaStep | null;

function decide(state: SagaState, input: SagaInput, now: Date, policy: SagaPolicy): Decision {
  switch (input.type) {
    case 'StepTimedOut':
      return onTimer(state, input, now, policy);
    case 'CancelRequested':
      return cancelForward(state, 'CUSTOMER_REQUEST', input.detail, now, policy);
    case 'ResumeParked':
      if (state.status !== 'PARKED' || !state.parked) return null;
      return send(
        {
          ...state,
          status: state.parked.operation === 'CAPTURE_PAYMENT' ? 'CAPTURING_PAYMENT' : 'COMPENSATING',
          parked: null,
          attempts: 1,
        },
        state.parked.operation,
        now,
        policy,
      );
    default:
      return onReply(state, input, now, policy);
  }
}

function onReply(state: SagaState, reply: SagaReply, now: Date, policy: SagaPolicy): Decision {
  switch (reply.type) {
    case 'StockReserved':
      if (state.status === 'RESERVING_STOCK')
        return send(
          { ...state, status: 'AUTHORIZING_PAYMENT', reservationId: reply.reservationId, attempts: 1 },
          'AUTHORIZE_PAYMENT',
          now,
          policy,
        );
      return compensateLateSuccess(
        state,
        'RELEASE_STOCK',
        { reservationId: reply.reservationId },
        now,
        policy,
      );
    case 'StockReservationFailed':
      // Nothing was reserved, nothing was paid: cancel with nothing to compensate.
      return state.status === 'RESERVING_STOCK'
        ? cancel(state, 'OUT_OF_STOCK', reply.reason, [], now, policy)
        : null;
    case 'PaymentAuthorized': {
      if (state.status === 'AUTHORIZING_PAYMENT') {
        const authorized = {
          ...state,
          status: 'CAPTURING_PAYMENT' as const,
          paymentId: reply.paymentId,
          attempts: 1,
        };
        const capture = send(authorized, 'CAPTURE_PAYMENT', now, policy);
        const commit: SagaCommand = {
          type: 'CommitStock',
          orderId: state.orderId,
          reservationId: state.reservationId,
        };
        return {
          ...capture,
          commands: [commit, ...capture.commands],
          orderDecision: { type: 'confirm', paymentId: reply.paymentId },
        };
      }
      return compensateLateSuccess(state, 'VOID_PAYMENT', { paymentId: reply.paymentId }, now, policy);
    }
    case 'PaymentDeclined':
      return state.status === 'AUTHORIZING_PAYMENT'
        ? cancel(state, 'PAYMENT_DECLINED', reply.reason, ['RELEASE_STOCK'], now, policy)
        : null;
    case 'PaymentCaptured':
      if (isInProgress(state, 'CAPTURE_PAYMENT'))
        return {
          state: { ...state, status: 'COMPLETED', timer: null, parked: null },
          commands: [],
          orderDecision: { type: 'recordPayment', outcome: 'CAPTURED', paymentId: reply.paymentId },
        };
      // Defensive: capture is only ever sent for a confirmed order, but money taken for a cancelled one goes back.
      return compensateLateSuccess(state, 'REFUND_PAYMENT', { paymentId: reply.paymentId }, now, policy);
    case 'PaymentCaptureFailed':
      return awaitingReply(state, 'CAPTURE_PAYMENT') ? failedAttempt(state, reply.reason, now, policy) : null;
    case 'StockReleased':
      return acknowledge(state, 'RELEASE_STOCK', now, policy);
    case 'PaymentVoided':
      return acknowledge(state, 'VOID_PAYMENT', now, policy);
    case 'PaymentRefunded':
      return acknowledge(state, 'REFUND_PAYMENT', now, policy);
    case 'StockReleaseFailed':
      return awaitingReply(state, 'RELEASE_STOCK') ? failedAttempt(state, reply.reason, now, policy) : null;
    case 'PaymentVoidFailed':
      return awaitingReply(state, 'VOID_PAYMENT') ? failedAttempt(state, reply.reason, now, policy) : null;
    case 'PaymentRefundFailed':
      return awaitingReply(state, 'REFUND_PAYMENT') ? failedAttempt(state, reply.reason, now, policy) : null;
  }
}

function onTimer(state: SagaState, timer: StepTimedOut, now: Date, policy: SagaPolicy): Decision {
  const armed = state.timer;
  if (!armed || armed.id !== timer.timerId || now.getTime() < Date.parse(armed.at)) return null;
  if (armed.purpose === 'RETRY')
    return send({ ...state, attempts: state.attempts + 1 }, armed.step, now, policy);
  switch (armed.step) {
    case 'RESERVE_STOCK':
      // The reservation may exist with its reply still in flight: release it to be sure.
      return cancel(state, 'STOCK_RESERVATION_TIMED_OUT', undefined, ['RELEASE_STOCK'], now, policy);
    case 'AUTHORIZE_PAYMENT':
      return cancel(state, 'PAYMENT_TIMED_OUT', undefined, ['VOID_PAYMENT', 'RELEASE_STOCK'], now, policy);
    default:
      return failedAttempt(state, `no reply within ${policy.replyTimeoutMs[armed.step]} ms`, now, policy);
  }
}

/** A customer's cancel: only before the saga decided to confirm. */
function cancelForward(
  state: SagaState,
  reason: CancellationReason,
  detail: string | undefined,
  now: Date,
  policy: SagaPolicy,
): Decision {
  if (state.status === 'RESERVING_STOCK')
    return cancel(state, reason, detail, ['RELEASE_STOCK'], now, policy);
  if (state.status === 'AUTHORIZING_PAYMENT')
    return cancel(state, reason, detail, ['VOID_PAYMENT', 'RELEASE_STOCK'], now, policy);
  return null;
}

/** Cancels the order and starts compensating, last step first. */
function cancel(
  state: SagaState,
  reason: CancellationReason,
  detail: string | undefined,
  compensations: Compensation[],
  now: Date,
  policy: SagaPolicy,
): SagaStep {
  const cancellation = detail === undefined ? { reason } : { reason, detail };
  const cancelled = { ...state, cancellation, compensations };
  const step = compensations.length
    ? send({ ...cancelled, status: 'COMPENSATING', attempts: 1 }, compensations[0]!, now, policy)
    : { state: { ...cancelled, status: 'CANCELLED' as const, timer: null }, commands: [] };
  return { ...step, orderDecision: { type: 'cancel', ...cancellation } };
}

/**
 * A success the saga no longer wants (the order is cancelled): undo it. When
 * the same compensation is still pending, it already covers this success:
 * commands of one order go through one partition in order, so the pending
 * compensation reaches the receiver after the operation it undoes.
 */
function compensateLateSuccess(
  state: SagaState,
  compensation: Compensation,
  ids: { reservationId?: string; paymentId?: string },
  now: Date,
  policy: SagaPolicy,
): Decision {
  if (!state.cancellation) return null; // not cancelled: a second copy of a success already acted on
  const known = {
    reservationId: state.reservationId ?? ids.reservationId ?? null,
    paymentId: state.paymentId ?? ids.paymentId ?? null,
  };
  if (state.compensations.includes(compensation)) {
    const learned = known.reservationId !== state.reservationId || known.paymentId !== state.paymentId;
    return learned ? { state: { ...state, ...known }, commands: [] } : null;
  }
  const queued = { ...state, ...known, compensations: [...state.compensations, compensation] };
  if (state.status !== 'CANCELLED') return { state: queued, commands: [] }; // runs after the current one
  return send({ ...queued, status: 'COMPENSATING', attempts: 1 }, compensation, now, policy);
}

function acknowledge(state: SagaState, compensation: Compensation, now: Date, policy: SagaPolicy): Decision {
  if (!isInProgress(state, compensation)) return null;
  const [, ...rest] = state.compensations;
  const outcome: PaymentOutcome | null =
    compensation === 'VOID_PAYMENT' ? 'VOIDED' : compensation === 'REFUND_PAYMENT' ? 'REFUNDED' : null;
  const orderDecision: OrderDecision | undefined =
    outcome && state.paymentId ? { type: 'recordPayment', outcome, paymentId: state.paymentId } : undefined;
  const remaining = { ...state, compensations: rest, parked: null };
  const step = rest.length
    ? send({ ...remaining, status: 'COMPENSATING', attempts: 1 }, rest[0]!, now, policy)
    : { state: { ...remaining, status: 'CANCELLED' as const, timer: null }, commands: [] };
  return orderDecision ? { ...step, orderDecision } : step;
}

/** A send of the capture or a compensation failed (a failure reply or no reply): retry later, or park. */
function failedAttempt(state: SagaState, reason: string, now: Date, policy: SagaPolicy): SagaStep {
  const operation = currentOperation(state)!;
  if (state.attempts >= policy.maxAttempts) {
    const parked = { operation, reason, at: now.toISOString() };
    return {
      state: { ...state, status: 'PARKED', timer: null, parked },
      commands: [],
      alert: { orderId: state.orderId, operation, attempts: state.attempts, reason },
    };
  }
  const at = new Date(now.getTime() + retryDelayMs(state.attempts, policy));
  return arm(state, operation, 'RETRY', at);
}

/** The operation whose reply the saga is waiting for, or whose retry is scheduled. */
function currentOperation(state: SagaState): SagaOperation | null {
  switch (state.status) {
    case 'RESERVING_STOCK':
      return 'RESERVE_STOCK';
    case 'AUTHORIZING_PAYMENT':
      return 'AUTHORIZE_PAYMENT';
    case 'CAPTURING_PAYMENT':
      return 'CAPTURE_PAYMENT';
    case 'COMPENSATING':
      return state.compensations[0] ?? null;
    case 'PARKED':
      return state.parked?.operation ?? null;
    default:
      return null;
  }
}

/** The operation is the saga's current one (a parked operation still counts: its late success is welcome). */
function isInProgress(state: SagaState, operation: SagaOperation): boolean {
  return currentOperation(state) === operation;
}

/** A failure reply counts only while a send is outstanding, not while a retry is already scheduled. */
function awaitingReply(state: SagaState, operation: SagaOperation): boolean {
  return state.status !== 'PARKED' && isInProgress(state, operation) && state.timer?.purpose === 'REPLY';
}

/** Sends the operation's command and arms its reply timeout. */
function send(state: SagaState, operation: SagaOperation, now: Date, policy: SagaPolicy): SagaStep {
  const at = new Date(now.getTime() + policy.replyTimeoutMs[operation]);
  const armed = arm(state, operation, 'REPLY', at);
  return { state: armed.state, commands: [commandFor(state, operation), ...armed.commands] };
}

function arm(state: SagaState, step: SagaOperation, purpose: SagaTimer['purpose'], at: Date): SagaStep {
  const timersArmed = state.timersArmed + 1;
  const timer: SagaTimer = { id: `${state.orderId}:${timersArmed}`, step, purpose, at: at.toISOString() };
  const schedule: ScheduleTimeout = { type: 'ScheduleTimeout', timerId: timer.id, step, at: timer.at };
  return { state: { ...state, timer, timersArmed }, commands: [schedule] };
}

function commandFor(state: SagaState, operation: SagaOperation): SagaCommand {
  const { orderId, amountCents, currency } = state;
  switch (operation) {
    case 'RESERVE_STOCK':
      return { type: 'ReserveStock', orderId, items: state.items.map((item) => ({ ...item })) };
    case 'AUTHORIZE_PAYMENT':
      return { type: 'AuthorizePayment', orderId, amountCents, currency, paymentToken: state.paymentToken };
    case 'CAPTURE_PAYMENT':
      return { type: 'CapturePayment', orderId, paymentId: requirePaymentId(state), amountCents, currency };
    case 'VOID_PAYMENT':
      return { type: 'VoidPayment', orderId, paymentId: state.paymentId };
    case 'REFUND_PAYMENT':
      return { type: 'RefundPayment', orderId, paymentId: requirePaymentId(state), amountCents, currency };
    case 'RELEASE_STOCK':
      return { type: 'ReleaseStock', orderId, reservationId: state.reservationId };
  }
}

function requirePaymentId(state: SagaState): string {
  if (!state.paymentId) throw new Error(`saga of order ${state.orderId} has no payment id`);
  return state.paymentId;
}
