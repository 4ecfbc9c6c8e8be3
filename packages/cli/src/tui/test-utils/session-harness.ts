import { EffectRunner, type EffectRunnerOptions } from "../runtime/effect-runner.js";
import { createSessionStore, type SessionStore } from "../runtime/session-store.js";
import { toModelText } from "../state/composer-buffer.js";
import { intentFor } from "../state/keymap.js";
import { initialSessionState, keyModeFor, type SessionEvent } from "../state/session-state.js";
import { createKeyDecoder } from "../terminal/key-decoder.js";
import type { KeyEvent } from "../terminal/key-event.js";
import { fakeClock, type FakeClock } from "../terminal/fake-clock.js";
import { FakeThread } from "./fake-thread.js";

/** The session without a screen: real decoder, keymap, reducer, store and runner on a fake thread. */
export interface SessionHarness {
  thread: FakeThread;
  store: SessionStore;
  runner: EffectRunner;
  clock: FakeClock;
  /** Every event the store reduced, in order. */
  events: SessionEvent[];
  quits: number;
  /** Raw terminal bytes, as one read. */
  keys(bytes: string): void;
  composer(): string;
  /** Lets the runner's promises settle. */
  settle(): Promise<void>;
}

export function sessionHarness(
  extra: Partial<Omit<EffectRunnerOptions, "thread" | "dispatch" | "quit">> = {},
): SessionHarness {
  const thread = new FakeThread();
  const clock = fakeClock(1_000);
  const events: SessionEvent[] = [];
  const harness = { quits: 0 } as SessionHarness;
  const runnerRef: { current?: EffectRunner } = {};
  const store = createSessionStore(initialSessionState(), {
    execute: (effect) => runnerRef.current?.execute(effect),
    observe: (event) => events.push(event),
  });
  const runner = new EffectRunner({
    thread,
    dispatch: (event) => store.dispatch(event),
    quit: () => (harness.quits += 1),
    timers: clock,
    ...extra,
  });
  runnerRef.current = runner;
  const decoder = createKeyDecoder(
    (decoded: KeyEvent[]) => {
      for (const event of decoded) {
        const intent = intentFor(event, keyModeFor(store.getState()));
        if (intent) store.dispatch({ type: "intent", intent, now: clock.now() });
      }
    },
    { clock },
  );
  return Object.assign(harness, {
    thread,
    store,
    runner,
    clock,
    events,
    keys(bytes: string) {
      decoder.feed(bytes);
      decoder.flush();
    },
    composer: () => toModelText(store.getState().composer),
    async settle() {
      for (let round = 0; round < 5; round++) await new Promise((resolve) => setImmediate(resolve));
    },
  });
}
