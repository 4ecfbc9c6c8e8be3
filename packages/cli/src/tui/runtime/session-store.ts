import { reduce } from "../state/session-reducer.js";
import type { Effect, SessionEvent, SessionState } from "../state/session-state.js";

/** The session state outside React: the hooks read it with `useSyncExternalStore`. */
export interface SessionStore {
  getState(): SessionState;
  /** Called after every batch of events (once per key or runtime report, not per effect). */
  subscribe(listener: () => void): () => void;
  dispatch(event: SessionEvent): void;
}

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** Carries out an effect; it may dispatch (queued until the current event is reduced). */
  execute(effect: Effect): void;
  /** Sees every event after it was reduced (the transcript model follows the thread's events). */
  observe?(event: SessionEvent, state: SessionState): void;
}

/**
 * Reduces events one at a time, in arrival order: an effect's report dispatched while an event
 * is being handled waits its turn, so the reducer always sees the state its predecessor left.
 */
export function createSessionStore(
  initial: SessionState,
  options: SessionStoreOptions,
): SessionStore {
  let state = initial;
  const listeners = new Set<() => void>();
  const queue: SessionEvent[] = [];
  let draining = false;
  const drain = (): void => {
    draining = true;
    try {
      for (let event = queue.shift(); event; event = queue.shift()) {
        const reduction = reduce(state, event);
        state = reduction.state;
        options.observe?.(event, state);
        for (const effect of reduction.effects) options.execute(effect);
      }
    } finally {
      draining = false;
    }
    for (const listener of listeners) listener();
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch(event) {
      queue.push(event);
      if (!draining) drain();
    },
  };
}
