/** The pure fold of an event-sourced aggregate: the state after one more event. */
export type Evolve<State, Event> = (state: State, event: Event) => State;

/** Replays `events` in order onto `initialState`. Pure: no I/O, `evolve` decides everything. */
export function rehydrate<State, Event>(
  initialState: State,
  evolve: Evolve<State, Event>,
  events: Iterable<Event>,
): State {
  let state = initialState;
  for (const event of events) state = evolve(state, event);
  return state;
}
