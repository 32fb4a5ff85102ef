import { uuidv7 } from '@shop/contracts';
import { migrationsOf, sqlState } from '@shop/persistence';
import { createTestEnvironment, serviceInfrastructure, waitFor, type TestEnvironment } from '@shop/testing';
import { PaymentDatabase } from './infrastructure/payment-database';
import { ProviderBehaviourStore } from './provider/provider-behaviour';
import { SimulatedProvider } from './provider/simulated-provider';
import { commands, PaymentBus, type Reply } from './test-support/payment-bus';
import { adminHeaders, call, startPayment, type RunningPayment } from './test-support/start-payment';

interface ProviderRecord {
  state: string;
  approved: boolean;
}

/**
 * The payment service against real Postgres, Redis and a dedicated Kafka dev
 * broker, driven the way the order saga drives it: commands on
 * payment.commands, replies read from payment.events.
 */
describe('payment commands', () => {
  let env: TestEnvironment;
  let payment: RunningPayment;
  let second: RunningPayment;
  let bus: PaymentBus;
  let database: PaymentDatabase;
  const admin = adminHeaders();

  beforeAll(async () => {
    env = await createTestEnvironment('payment-commands', {
      postgres: migrationsOf('payment'),
      redis: true,
      kafka: { dedicatedBroker: true },
    });
    const settings = {
      ...serviceInfrastructure(env),
      commandsGroup: env.kafka.groupId('payment'),
      // Short provider timeout for the timed-out authorize; retries enough to outlast it.
      env: { PROVIDER_TIMEOUT_MS: '400', COMMAND_MAX_ATTEMPTS: '30', PROVIDER_BREAKER_RESET_MS: '1000' },
    };
    // Two instances side by side in one consumer group, as deployed: each handles some of the partitions.
    [payment, second] = await Promise.all([startPayment(settings), startPayment(settings)]);
    bus = await PaymentBus.start(env.kafka.client('saga-stand-in'), env.kafka.groupId('replies'));
    database = new PaymentDatabase(env.postgres.url);
  });
  afterAll(async () => {
    await bus?.stop();
    await Promise.all([payment?.app.close(), second?.app.close()]);
    await database?.onApplicationShutdown();
    await env?.dispose();
  });

  const ledgerOf = (orderId: string) =>
    call(payment.url, 'GET', `/payments/orders/${orderId}`, { headers: admin });
  const providerRecord = async (orderId: string): Promise<ProviderRecord | undefined> =>
    (
      await database.sql.query<ProviderRecord>(
        'SELECT state, approved FROM provider_authorizations WHERE idempotency_key = $1',
        [orderId],
      )
    )[0];
  const providerOperations = async (kind: string, authorizationKey: string) =>
    (
      await database.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM provider_operations o JOIN provider_authorizations a ON a.id = o.authorization_id
         WHERE o.kind = $1 AND a.idempotency_key = $2`,
        [kind, authorizationKey],
      )
    )[0]!.n;
  const setProvider = (body: Record<string, number>) =>
    call(payment.url, 'PUT', '/payments/admin/provider', { body, headers: admin });
  const types = (replies: Reply[]) => replies.map((reply) => reply.type);

  it('authorizes, then captures: replies caused by the commands, ledger and provider agree', async () => {
    const orderId = uuidv7();
    const authorize = commands.authorize(orderId, 'tok_ok', 4_200, 'EUR');
    const authorized = await bus.request(authorize);
    expect(authorized).toMatchObject({
      type: 'PaymentAuthorized',
      source: 'payment',
      aggregateId: orderId,
      correlationId: authorize.correlationId,
      causationId: authorize.id,
      payload: { orderId, paymentId: expect.any(String), amountCents: 4_200, currency: 'EUR' },
    });
    const paymentId: string = authorized.payload.paymentId;

    const capture = commands.capture(orderId, paymentId);
    const capturedReply = await bus.request(capture);
    expect(capturedReply).toMatchObject({
      type: 'PaymentCaptured',
      causationId: capture.id,
      payload: { orderId, paymentId, amountCents: 4_200, currency: 'EUR' },
    });

    const ledger = await ledgerOf(orderId);
    expect(ledger.status).toBe(200);
    expect(ledger.body).toMatchObject({
      id: paymentId,
      orderId,
      status: 'CAPTURED',
      amountCents: 4_200,
      currency: 'EUR',
      totals: { authorizedCents: 4_200, capturedCents: 4_200, refundedCents: 0, netCapturedCents: 4_200 },
    });
    expect(
      ledger.body.entries.map((e: { kind: string; amountCents: number }) => [e.kind, e.amountCents]),
    ).toEqual([
      ['AUTHORIZE', 4_200],
      ['CAPTURE', 4_200],
    ]);
    expect(await providerRecord(orderId)).toEqual({ state: 'CAPTURED', approved: true });
  });

  it.each([
    ['tok_declined', 'DECLINED'],
    ['tok_insufficient_funds', 'INSUFFICIENT_FUNDS'],
    ['tok_unknown_card', 'DECLINED'],
  ])('declines %s with %s and holds nothing', async (token, reason) => {
    const orderId = uuidv7();
    const reply = await bus.request(commands.authorize(orderId, token));
    expect(reply).toMatchObject({ type: 'PaymentDeclined', payload: { orderId, reason } });
    const ledger = await ledgerOf(orderId);
    expect(ledger.body).toMatchObject({ status: 'DECLINED', declineReason: reason, entries: [] });
    expect(await providerRecord(orderId)).toEqual({ state: reason, approved: false });
  });

  it('every command delivered twice (same id): one authorization, one capture, one refund, consistent replies', async () => {
    const orderId = uuidv7();
    const authorize = commands.authorize(orderId);
    await bus.send(authorize, 2);
    const [authorized] = await bus.waitForReplies(orderId, 1);
    const paymentId: string = authorized!.payload.paymentId;

    await bus.send(commands.capture(orderId, paymentId), 2);
    // The saga retrying a capture sends a new message (new id): it gets the first capture again.
    await bus.send(commands.capture(orderId, paymentId), 2);
    await bus.send(commands.refund(orderId, paymentId), 2);
    // A barrier: commands of one order share a partition, so its reply comes after all the others.
    await bus.send(commands.void(orderId, paymentId));
    await waitFor(() => bus.repliesFor(orderId).some((reply) => reply.type === 'PaymentVoidFailed'), {
      timeoutMs: 45_000,
      describe: () => JSON.stringify(bus.repliesFor(orderId)),
    });

    const replies = bus.repliesFor(orderId);
    expect(types(replies)).toEqual([
      'PaymentAuthorized',
      'PaymentCaptured',
      'PaymentCaptured',
      'PaymentRefunded',
      'PaymentVoidFailed',
    ]);
    const money = { orderId, paymentId, amountCents: 4_200, currency: 'EUR' };
    expect(replies.map((reply) => reply.payload).slice(0, 4)).toEqual([money, money, money, money]);
    expect(replies[4]!.payload).toEqual({ orderId, paymentId, reason: 'PAYMENT_CAPTURED' });
    expect(new Set(replies.map((reply) => reply.id)).size).toBe(replies.length);

    const ledger = await ledgerOf(orderId);
    expect(ledger.body.entries.map((e: { kind: string }) => e.kind)).toEqual([
      'AUTHORIZE',
      'CAPTURE',
      'REFUND',
    ]);
    expect(ledger.body.totals).toMatchObject({
      capturedCents: 4_200,
      refundedCents: 4_200,
      netCapturedCents: 0,
    });
    expect(await providerOperations('CAPTURE', orderId)).toBe(1);
    expect(await providerOperations('REFUND', orderId)).toBe(1);
    expect(await providerRecord(orderId)).toEqual({ state: 'REFUNDED', approved: true });
  });

  it('refuses CapturePayment for an order that was never authorized, without asking the provider', async () => {
    const orderId = uuidv7();
    const paymentId = uuidv7();
    const reply = await bus.request(commands.capture(orderId, paymentId));
    expect(reply).toMatchObject({
      type: 'PaymentCaptureFailed',
      payload: { orderId, paymentId, reason: 'NOT_AUTHORIZED' },
    });
    expect((await ledgerOf(orderId)).status).toBe(404);
    expect(await providerRecord(orderId)).toBeUndefined();

    const declinedOrder = uuidv7();
    await bus.request(commands.authorize(declinedOrder, 'tok_declined'));
    const declinedPaymentId: string = (await ledgerOf(declinedOrder)).body.id;
    expect(await bus.request(commands.capture(declinedOrder, declinedPaymentId))).toMatchObject({
      type: 'PaymentCaptureFailed',
      payload: { reason: 'NOT_AUTHORIZED' },
    });
    expect((await ledgerOf(declinedOrder)).body.entries).toEqual([]);
  });

  it('refunds only after capture; a voided authorization cannot be captured', async () => {
    const orderId = uuidv7();
    const paymentId: string = (await bus.request(commands.authorize(orderId))).payload.paymentId;
    expect(await bus.request(commands.refund(orderId, paymentId))).toMatchObject({
      type: 'PaymentRefundFailed',
      payload: { reason: 'NOT_CAPTURED' },
    });
    expect(await bus.request(commands.void(orderId, paymentId))).toMatchObject({
      type: 'PaymentVoided',
      payload: { orderId, paymentId },
    });
    expect(await bus.request(commands.capture(orderId, paymentId))).toMatchObject({
      type: 'PaymentCaptureFailed',
      payload: { reason: 'PAYMENT_VOIDED' },
    });
    const ledger = await ledgerOf(orderId);
    expect(ledger.body.status).toBe('VOIDED');
    expect(ledger.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['AUTHORIZE', 'VOID']);
    expect(ledger.body.totals.netCapturedCents).toBe(0);
    expect(await providerRecord(orderId)).toEqual({ state: 'VOIDED', approved: true });
  });

  it('VoidPayment(null) voids an authorization the ledger never recorded (crash after the provider answered)', async () => {
    const orderId = uuidv7();
    // The service's first attempt: the provider authorized, then the process died before its transaction.
    const provider = new SimulatedProvider(
      database.sql,
      new ProviderBehaviourStore(env.redis.client({ keyPrefix: `${env.redis.keyPrefix}direct:` }), {
        failureRate: 0,
        latencyMs: 0,
      }),
    );
    const answer = await provider.authorize({
      idempotencyKey: orderId,
      amountCents: 4_200,
      currency: 'EUR',
      token: 'tok_ok',
    });
    expect(answer.status).toBe('APPROVED');
    expect((await ledgerOf(orderId)).status).toBe(404);

    // The saga timed out waiting and voids whatever exists for the order.
    const reply = await bus.request(commands.void(orderId, null));
    expect(reply).toMatchObject({
      type: 'PaymentVoided',
      payload: { orderId, paymentId: expect.any(String) },
    });
    const ledger = await ledgerOf(orderId);
    expect(ledger.body).toMatchObject({ id: reply.payload.paymentId, status: 'VOIDED' });
    expect(
      ledger.body.entries.map((e: { kind: string; amountCents: number }) => [e.kind, e.amountCents]),
    ).toEqual([
      ['AUTHORIZE', 4_200],
      ['VOID', 4_200],
    ]);
    expect(await providerRecord(orderId)).toEqual({ state: 'VOIDED', approved: true });

    // The authorize arriving again later is declined: the hold is gone and stays gone.
    expect(await bus.request(commands.authorize(orderId))).toMatchObject({ type: 'PaymentDeclined' });
    expect(await providerRecord(orderId)).toEqual({ state: 'VOIDED', approved: true });
  });

  it('VoidPayment(null) with nothing held anywhere: PaymentVoided(null), and a late authorize holds nothing', async () => {
    const orderId = uuidv7();
    expect(await bus.request(commands.void(orderId, null))).toMatchObject({
      type: 'PaymentVoided',
      payload: { orderId, paymentId: null },
    });
    expect((await ledgerOf(orderId)).body).toMatchObject({ status: 'VOIDED', entries: [] });
    // A repeat answers from the ledger.
    expect(await bus.request(commands.void(orderId, null))).toMatchObject({ payload: { paymentId: null } });

    expect(await bus.request(commands.authorize(orderId))).toMatchObject({
      type: 'PaymentDeclined',
      payload: { reason: 'DECLINED' },
    });
    expect(await providerRecord(orderId)).toEqual({ state: 'VOIDED', approved: false });
  });

  it('the database itself refuses a second capture, a capture without authorization and a refund without capture', async () => {
    const orderId = uuidv7();
    const paymentId: string = (await bus.request(commands.authorize(orderId))).payload.paymentId;
    const insertEntry = (kind: string) =>
      database.sql
        .query(
          `INSERT INTO ledger_entries (id, payment_id, order_id, kind, amount_cents, currency, provider_reference)
           VALUES ($1::uuid, $2::uuid, $3::uuid, $4, 100, 'EUR', 'manual')`,
          [uuidv7(), paymentId, orderId, kind],
        )
        .then(
          () => 'inserted',
          (error: unknown) => sqlState(error),
        );
    expect(await insertEntry('REFUND')).toBe('23503'); // no capture to refund
    expect(await insertEntry('CAPTURE')).toBe('inserted');
    expect(await insertEntry('CAPTURE')).toBe('23505'); // second capture
    expect(await insertEntry('VOID')).toBe('23505'); // captured and voided
    expect(await insertEntry('BONUS')).toBe('23514');

    const unauthorized = uuidv7();
    const unauthorizedPayment = uuidv7();
    await database.sql.query(
      `INSERT INTO payments (id, order_id, status, version, decline_reason) VALUES ($1::uuid, $2::uuid, 'DECLINED', 1, 'DECLINED')`,
      [unauthorizedPayment, unauthorized],
    );
    const captureWithoutAuthorization = await database.sql
      .query(
        `INSERT INTO ledger_entries (id, payment_id, order_id, kind, amount_cents, currency, provider_reference)
         VALUES ($1::uuid, $2::uuid, $3::uuid, 'CAPTURE', 100, 'EUR', 'manual')`,
        [uuidv7(), unauthorizedPayment, unauthorized],
      )
      .then(
        () => 'inserted',
        (error: unknown) => sqlState(error),
      );
    expect(captureWithoutAuthorization).toBe('23503');
    const secondPaymentForOrder = await database.sql
      .query(
        `INSERT INTO payments (id, order_id, status, version) VALUES ($1::uuid, $2::uuid, 'VOIDED', 1)`,
        [uuidv7(), unauthorized],
      )
      .then(
        () => 'inserted',
        (error: unknown) => sqlState(error),
      );
    expect(secondPaymentForOrder).toBe('23505');
  });

  it('two instances side by side, every command twice: each order captured once, replies consistent', async () => {
    const orders = Array.from({ length: 8 }, () => uuidv7());
    for (const orderId of orders) await bus.send(commands.authorize(orderId), 2);
    const paymentIds = new Map<string, string>();
    for (const orderId of orders) {
      const [authorized] = await bus.waitForReplies(orderId, 1);
      expect(authorized).toMatchObject({ type: 'PaymentAuthorized' });
      paymentIds.set(orderId, authorized!.payload.paymentId);
    }
    for (const orderId of orders) {
      await bus.send(commands.capture(orderId, paymentIds.get(orderId)!), 2);
      await bus.send(commands.capture(orderId, paymentIds.get(orderId)!));
      await bus.send(commands.void(orderId, null)); // barrier: refused, the payment is captured
    }
    for (const orderId of orders) {
      await waitFor(() => bus.repliesFor(orderId).some((reply) => reply.type === 'PaymentVoidFailed'), {
        timeoutMs: 45_000,
        describe: () => JSON.stringify(bus.repliesFor(orderId)),
      });
      const replies = bus.repliesFor(orderId);
      expect(types(replies)).toEqual([
        'PaymentAuthorized',
        'PaymentCaptured',
        'PaymentCaptured',
        'PaymentVoidFailed',
      ]);
      const paymentId = paymentIds.get(orderId)!;
      for (const reply of replies.slice(0, 3)) expect(reply.payload).toMatchObject({ orderId, paymentId });
      const ledger = await ledgerOf(orderId);
      expect(ledger.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['AUTHORIZE', 'CAPTURE']);
      expect(await providerOperations('CAPTURE', orderId)).toBe(1);
    }
    // Both instances see the same provider behaviour (one external system, settings in Redis).
    await setProvider({ latencyMs: 3 });
    const viaSecond = await call(second.url, 'GET', '/payments/admin/provider', { headers: admin });
    expect(viaSecond.body).toMatchObject({ failureRate: 0, latencyMs: 3, source: 'redis' });
    await setProvider({ latencyMs: 0 });
  });

  // Last: it makes provider calls time out (breaker failures).
  it('an authorize that times out leaves no hold: voided by the key, then declined PROVIDER_UNAVAILABLE', async () => {
    // Every call now outlasts the 400 ms timeout; the provider still does the work afterwards.
    expect((await setProvider({ latencyMs: 1_000 })).status).toBe(200);
    const orderId = uuidv7();
    await bus.send(commands.authorize(orderId));
    // Authorize and the void after it both time out: the ledger says money may be held, the command is retried.
    await waitFor(async () => (await ledgerOf(orderId)).body?.status === 'AUTHORIZATION_UNKNOWN', {
      timeoutMs: 45_000,
    });
    expect(bus.repliesFor(orderId)).toEqual([]);

    await setProvider({ latencyMs: 0 });
    const [reply] = await bus.waitForReplies(orderId, 1);
    expect(reply).toMatchObject({
      type: 'PaymentDeclined',
      payload: { orderId, reason: 'PROVIDER_UNAVAILABLE' },
    });

    const record = await providerRecord(orderId);
    expect(record?.state).toBe('VOIDED'); // whatever the provider did, nothing is held
    const ledger = await ledgerOf(orderId);
    expect(ledger.body).toMatchObject({ status: 'VOIDED', declineReason: 'PROVIDER_UNAVAILABLE' });
    // The ledger matches the provider: its late authorization is recorded with its void.
    expect(ledger.body.entries.map((e: { kind: string }) => e.kind)).toEqual(
      record!.approved ? ['AUTHORIZE', 'VOID'] : [],
    );
  });
});
