import type { SqlExecutor } from '@shop/persistence';
import { ConcurrencyError } from './errors';
import type { EventMetadata, NewEvent, StoredEvent } from './events';
import type { AppendOptions, EventStore } from './event-store';
import { rehydrate, type Evolve } from './rehydrate';
import { isSnapshotDue, NEVER_SNAPSHOT, snapshotPolicy, type SnapshotPolicy } from './snapshot-policy';

/** The shape of a domain event: a type and its JSON payload. */
export interface DomainEvent {
  type: string;
  payload?: unknown;
}

/** An event-sourced aggregate type, defined by pure functions. */
export interface AggregateDefinition<State, Event extends DomainEvent> {
  /** Stream type; streams are named `<streamType>-<aggregateId>`. */
  streamType: string;
  initialState: State;
  evolve: Evolve<State, Event>;
  /** Stored event -> domain event; the place to upcast old schema versions. Default: `{ type, payload }`. */
  fromStored?: (event: StoredEvent) => Event;
  /** Schema version stored with each new event (default 1). */
  schemaVersionOf?: (event: Event) => number;
  /** Snapshot every N events (default: never). The state must be plain JSON. */
  snapshotEvery?: number;
  /** Shape version of the snapshot state; bump it when State changes and old snapshots are ignored. */
  snapshotSchemaVersion?: number;
}

/** An aggregate as loaded: its state and the stream version it reflects. */
export interface Aggregate<State> {
  id: string;
  state: State;
  /** Events applied so far; the expectedVersion of the next save. */
  version: number;
}

export interface SaveOptions {
  /** Metadata for every event of this save (correlation/causation ids, trace headers). */
  metadata?: EventMetadata;
  tx?: SqlExecutor;
  withinTransaction?: AppendOptions['withinTransaction'];
}

export interface SaveResult<State> {
  aggregate: Aggregate<State>;
  events: StoredEvent[];
}

/**
 * Loads aggregates from their latest snapshot plus the events after it, and
 * saves new events with optimistic concurrency, snapshotting every N events
 * in the same transaction as the append.
 */
export class AggregateRepository<State, Event extends DomainEvent> {
  private readonly policy: SnapshotPolicy;
  private readonly snapshotSchemaVersion: number;
  private readonly fromStored: (event: StoredEvent) => Event;

  constructor(
    private readonly store: EventStore,
    private readonly definition: AggregateDefinition<State, Event>,
  ) {
    this.policy = definition.snapshotEvery ? snapshotPolicy(definition.snapshotEvery) : NEVER_SNAPSHOT;
    this.snapshotSchemaVersion = definition.snapshotSchemaVersion ?? 1;
    this.fromStored =
      definition.fromStored ?? ((e) => ({ type: e.type, payload: e.payload }) as unknown as Event);
  }

  streamId(aggregateId: string): string {
    return `${this.definition.streamType}-${aggregateId}`;
  }

  /** The aggregate's current state; the initial state at version 0 when it has no events. */
  async load(aggregateId: string, options: { tx?: SqlExecutor } = {}): Promise<Aggregate<State>> {
    const streamId = this.streamId(aggregateId);
    const snapshot = await this.store.loadLatestSnapshot<State>(streamId, options);
    const usable = snapshot?.schemaVersion === this.snapshotSchemaVersion ? snapshot : null;
    const base = usable ?? { state: this.definition.initialState, version: 0 };
    const tail = await this.store.load(streamId, { fromVersion: base.version + 1, tx: options.tx });
    return {
      id: aggregateId,
      state: rehydrate(base.state, this.definition.evolve, tail.map(this.fromStored)),
      version: tail.at(-1)?.version ?? base.version,
    };
  }

  /**
   * Appends `events` after `aggregate.version` (ConcurrencyError if another
   * writer got there first) and returns the aggregate with them applied.
   */
  async save(
    aggregate: Aggregate<State>,
    events: readonly Event[],
    options: SaveOptions = {},
  ): Promise<SaveResult<State>> {
    const streamId = this.streamId(aggregate.id);
    const state = rehydrate(aggregate.state, this.definition.evolve, events);
    const version = aggregate.version + events.length;
    const snapshotDue = isSnapshotDue(this.policy, aggregate.version, version);
    const result = await this.store.append(streamId, aggregate.version, events.map(this.toNew(options)), {
      streamType: this.definition.streamType,
      tx: options.tx,
      withinTransaction: async (tx, stored) => {
        await options.withinTransaction?.(tx, stored);
        // Same transaction: a snapshot never describes events that were rolled back.
        if (snapshotDue)
          await this.store.saveSnapshot(streamId, version, state, {
            tx,
            schemaVersion: this.snapshotSchemaVersion,
          });
      },
    });
    return { aggregate: { id: aggregate.id, state, version: result.version }, events: result.events };
  }

  /**
   * Load, decide, save; on a ConcurrencyError reload and decide again (up to
   * `attempts` times in all). `decide` must be pure: it may run more than once.
   */
  async execute(
    aggregateId: string,
    decide: (state: State, version: number) => readonly Event[],
    options: Omit<SaveOptions, 'tx'> & { attempts?: number } = {},
  ): Promise<SaveResult<State>> {
    const attempts = options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const aggregate = await this.load(aggregateId);
      try {
        return await this.save(aggregate, decide(aggregate.state, aggregate.version), options);
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= attempts) throw err;
      }
    }
  }

  private toNew(options: SaveOptions): (event: Event) => NewEvent {
    return (event) => ({
      type: event.type,
      payload: event.payload ?? null,
      schemaVersion: this.definition.schemaVersionOf?.(event) ?? 1,
      metadata: options.metadata,
    });
  }
}
