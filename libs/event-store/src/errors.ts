import type { ExpectedVersion } from './events';

/** An append lost an optimistic-concurrency race: the stream was not at the expected version. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /** The stream's version when the append was rejected. */
    readonly actualVersion: number,
  ) {
    super(
      `Stream '${streamId}' is at version ${actualVersion}, the append expected ${String(expectedVersion)}`,
    );
  }
}

/** An event id was already stored (e.g. a retried append whose first attempt committed). */
export class DuplicateEventError extends Error {
  override readonly name = 'DuplicateEventError';

  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`An event of this append to '${streamId}' is already stored (event ids ${eventIds.join(', ')})`);
  }
}
