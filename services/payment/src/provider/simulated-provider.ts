import { uuidv7 } from '@shop/contracts';
import type { SqlClient, SqlExecutor } from '@shop/persistence';
import type { ProviderBehaviourStore } from './provider-behaviour';
import { ProviderRejectedError, ProviderUnavailableError } from './provider-errors';
import { tokenOutcome } from './token-outcome';

export interface AuthorizeCall {
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  token: string;
}
export type AuthorizeAnswer =
  { status: 'APPROVED'; authorizationId: string } | { status: 'DECLINED' | 'INSUFFICIENT_FUNDS' };

export interface SettleCall {
  idempotencyKey: string;
  /** The authorization's own idempotency key (the order id). */
  authorizationKey: string;
  amountCents: number;
}
export interface VoidCall {
  idempotencyKey: string;
  authorizationKey: string;
}
export interface OperationAnswer {
  reference: string;
}
export interface VoidAnswer {
  reference: string;
  /** The authorization released; null when the key held nothing (the void then blocks a later authorize). */
  authorization: { id: string; amountCents: number; currency: string } | null;
}

interface AuthorizationRow {
  id: string;
  state: string;
  approved: boolean;
  amount_cents: number | null;
  currency: string | null;
}
interface OperationRow {
  reference: string;
  authorization_id: string | null;
}

const sleep = (ms: number) =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/**
 * A stand-in for a remote card processor, with its own tables
 * (provider_authorizations, provider_operations). Every operation is
 * idempotent by its key: the same key gets the first answer again and
 * changes nothing. Behaviour is read per call from the shared store: a
 * failing call throws ProviderUnavailableError before doing anything, and
 * half the latency comes before the work, half after it. The work goes on
 * when the caller stops waiting (the caller's signal is not honoured), as
 * on a real remote system: that is what makes a timeout ambiguous.
 */
export class SimulatedProvider {
  constructor(
    private readonly sql: SqlClient,
    private readonly behaviour: ProviderBehaviourStore,
    private readonly random: () => number = Math.random,
  ) {}

  authorize(call: AuthorizeCall): Promise<AuthorizeAnswer> {
    return this.remote(async () => {
      const outcome = outcomeOf(call.token);
      await this.sql.query(
        `INSERT INTO provider_authorizations (id, idempotency_key, state, approved, amount_cents, currency)
         VALUES ($1::uuid, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
        [uuidv7(), call.idempotencyKey, outcome, outcome === 'APPROVED', call.amountCents, call.currency],
      );
      const [row] = await this.sql.query<AuthorizationRow>(
        'SELECT id, state, approved, amount_cents, currency FROM provider_authorizations WHERE idempotency_key = $1',
        [call.idempotencyKey],
      );
      if (row!.approved) return { status: 'APPROVED', authorizationId: row!.id };
      // A key voided before it was authorized stays unauthorizable.
      return { status: row!.state === 'INSUFFICIENT_FUNDS' ? 'INSUFFICIENT_FUNDS' : 'DECLINED' };
    });
  }

  capture(call: SettleCall): Promise<OperationAnswer> {
    return this.remote(() =>
      this.sql.transaction(async (tx) => {
        const authorization = await lockAuthorization(tx, call.authorizationKey);
        const done = await findOperation(tx, call.idempotencyKey);
        if (done) return { reference: done.reference };
        if (!authorization?.approved) throw new ProviderRejectedError('no such authorization', 404);
        if (authorization.state !== 'APPROVED')
          throw new ProviderRejectedError(`the authorization is ${authorization.state}`);
        if (call.amountCents > authorization.amount_cents!)
          throw new ProviderRejectedError('amount above the authorization', 422);
        return settle(tx, authorization, 'CAPTURED', 'CAPTURE', call);
      }),
    );
  }

  refund(call: SettleCall): Promise<OperationAnswer> {
    return this.remote(() =>
      this.sql.transaction(async (tx) => {
        const authorization = await lockAuthorization(tx, call.authorizationKey);
        const done = await findOperation(tx, call.idempotencyKey);
        if (done) return { reference: done.reference };
        if (authorization?.state !== 'CAPTURED')
          throw new ProviderRejectedError('nothing captured to refund');
        if (call.amountCents > authorization.amount_cents!)
          throw new ProviderRejectedError('amount above the capture', 422);
        return settle(tx, authorization, 'REFUNDED', 'REFUND', call);
      }),
    );
  }

  void(call: VoidCall): Promise<VoidAnswer> {
    return this.remote(() =>
      this.sql.transaction(async (tx) => {
        // Nothing under the key yet: a tombstone, so an authorize arriving later cannot hold money.
        await tx.query(
          `INSERT INTO provider_authorizations (id, idempotency_key, state, approved)
           VALUES ($1::uuid, $2, 'VOIDED', false) ON CONFLICT (idempotency_key) DO NOTHING`,
          [uuidv7(), call.authorizationKey],
        );
        const authorization = (await lockAuthorization(tx, call.authorizationKey))!;
        const released = authorization.approved
          ? {
              id: authorization.id,
              amountCents: authorization.amount_cents!,
              currency: authorization.currency!,
            }
          : null;
        const done = await findOperation(tx, call.idempotencyKey);
        if (done)
          return { reference: done.reference, authorization: done.authorization_id ? released : null };
        if (authorization.approved && authorization.state !== 'APPROVED' && authorization.state !== 'VOIDED')
          throw new ProviderRejectedError(`the authorization is ${authorization.state}`);
        const reference = uuidv7();
        if (authorization.approved)
          await tx.query(
            `UPDATE provider_authorizations SET state = 'VOIDED', updated_at = now() WHERE id = $1::uuid`,
            [authorization.id],
          );
        await tx.query(
          `INSERT INTO provider_operations (idempotency_key, kind, authorization_id, reference, amount_cents)
           VALUES ($1, 'VOID', $2::uuid, $3, $4)`,
          [call.idempotencyKey, released?.id ?? null, reference, released?.amountCents ?? null],
        );
        return { reference, authorization: released };
      }),
    );
  }

  private async remote<T>(work: () => Promise<T>): Promise<T> {
    const { failureRate, latencyMs } = await this.behaviour.current();
    const before = Math.floor(latencyMs / 2);
    await sleep(before);
    if (this.random() < failureRate) throw new ProviderUnavailableError();
    const answer = await work();
    await sleep(latencyMs - before);
    return answer;
  }
}

function outcomeOf(token: string): ReturnType<typeof tokenOutcome> {
  try {
    return tokenOutcome(token);
  } catch {
    throw new ProviderRejectedError('malformed payment token', 422);
  }
}

async function lockAuthorization(tx: SqlExecutor, key: string): Promise<AuthorizationRow | undefined> {
  const [row] = await tx.query<AuthorizationRow>(
    `SELECT id, state, approved, amount_cents, currency FROM provider_authorizations
     WHERE idempotency_key = $1 FOR UPDATE`,
    [key],
  );
  return row;
}

async function findOperation(tx: SqlExecutor, key: string): Promise<OperationRow | undefined> {
  const [row] = await tx.query<OperationRow>(
    'SELECT reference, authorization_id FROM provider_operations WHERE idempotency_key = $1',
    [key],
  );
  return row;
}

async function settle(
  tx: SqlExecutor,
  authorization: AuthorizationRow,
  state: 'CAPTURED' | 'REFUNDED',
  kind: 'CAPTURE' | 'REFUND',
  call: SettleCall,
): Promise<OperationAnswer> {
  const reference = uuidv7();
  await tx.query(`UPDATE provider_authorizations SET state = $2, updated_at = now() WHERE id = $1::uuid`, [
    authorization.id,
    state,
  ]);
  await tx.query(
    `INSERT INTO provider_operations (idempotency_key, kind, authorization_id, reference, amount_cents)
     VALUES ($1, $2, $3::uuid, $4, $5)`,
    [call.idempotencyKey, kind, authorization.id, reference, call.amountCents],
  );
  return { reference };
}
