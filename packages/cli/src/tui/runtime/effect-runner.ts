import type { AgentEvent, PendingInput, Thread } from "@hedge/core";
import type { Effect, PendingView, SessionEvent, UiAction } from "../state/session-state.js";

/** What the TUI uses of core's thread (the real `Thread` has it; tests pass a fake). */
export type ThreadPort = Pick<
  Thread,
  | "id"
  | "busy"
  | "start"
  | "run"
  | "steer"
  | "enqueue"
  | "interrupt"
  | "pullBack"
  | "supersede"
  | "answerApproval"
  | "ask"
  | "saveDraft"
  | "pending"
>;

/** Timers (injectable: tests drive a fake clock). */
export interface RunnerTimers {
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** What the runner needs besides the thread. */
export interface EffectRunnerOptions {
  thread: ThreadPort;
  /** Reports back to the session (the store queues what arrives while it reduces). */
  dispatch(event: SessionEvent): void;
  /** Slash commands other than `/quit` (the reducer) and `/ask` (the thread). */
  slash?(name: string, args: string): Promise<void> | void;
  /** `!cmd`: runs it and reports it as events (a command cell). */
  shell?(command: string, emit: (event: AgentEvent) => void): Promise<void>;
  /** `@` completion. */
  searchFiles?(query: string): Promise<readonly string[]>;
  ui?(action: UiAction): void;
  quit(): void;
  /** How long the composer must be still before its draft is saved (default 500 ms). */
  draftDelayMs?: number;
  timers?: RunnerTimers;
}

const realTimers: RunnerTimers = {
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A stored input as the session state mirrors it. */
export function pendingView(input: PendingInput): PendingView {
  return {
    id: input.id,
    kind: input.kind,
    state: input.state,
    text: input.text,
    ...(input.composer === undefined ? {} : { composer: input.composer }),
    seq: input.seq,
    deferred: input.deferred,
  };
}

/**
 * Carries out the reducer's effects against the thread and reports the outcomes as session
 * events. It owns the one loop that reads a run's events; when a run ends with inputs still
 * waiting (a steer that arrived as it finished, input typed while an interrupt settled) it starts
 * the next run, so nothing stored is left waiting while the thread is idle.
 */
export class EffectRunner {
  private readonly thread: ThreadPort;
  private readonly timers: RunnerTimers;
  private current: Promise<void> | undefined;
  private interrupting = 0;
  private draft: { composer: string | undefined; restoredIds: readonly string[] } | undefined;
  private draftTimer: unknown;
  private readonly asides = new Set<AbortController>();
  private disposed = false;

  constructor(private readonly options: EffectRunnerOptions) {
    this.thread = options.thread;
    this.timers = options.timers ?? realTimers;
  }

  /** Whether a run's events are being read. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Settles when the current run (if any) has ended and been reported. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  execute(effect: Effect): void {
    if (this.disposed) return;
    switch (effect.type) {
      case "persist":
        this.persist(effect);
        return;
      case "interrupt":
        void this.interrupt();
        return;
      case "pullBack": {
        const input = this.guard(() => this.thread.pullBack(effect.id), undefined);
        this.options.dispatch({
          type: "pulledBack",
          id: effect.id,
          input: input ? pendingView(input) : undefined,
        });
        return;
      }
      case "supersede":
        this.guard(() => this.thread.supersede(effect.ids, "cleared"), undefined);
        return;
      case "answerApproval":
        this.guard(() => this.thread.answerApproval(effect.requestId, effect.answer), false);
        return;
      case "slash":
        if (effect.name === "ask") void this.ask(effect.args);
        else void this.slash(effect.name, effect.args);
        return;
      case "saveDraft":
        this.draft = { composer: effect.composer, restoredIds: effect.restoredIds };
        if (this.draftTimer !== undefined) this.timers.clearTimer(this.draftTimer);
        this.draftTimer = this.timers.setTimer(
          () => this.flushDraft(),
          this.options.draftDelayMs ?? 500,
        );
        return;
      case "searchFiles":
        void this.search(effect.query);
        return;
      case "ui":
        this.options.ui?.(effect.action);
        return;
      case "quit":
        this.flushDraft();
        this.options.quit();
        return;
    }
  }

  /** Writes the latest draft now (quitting, a signal). */
  flushDraft(): void {
    if (this.draftTimer !== undefined) this.timers.clearTimer(this.draftTimer);
    this.draftTimer = undefined;
    const draft = this.draft;
    this.draft = undefined;
    if (!draft) return;
    this.guard(
      () =>
        this.thread.saveDraft(
          draft.composer === undefined
            ? undefined
            : { composer: draft.composer, restoredIds: draft.restoredIds },
        ),
      undefined,
    );
  }

  /** Stops side questions and timers (the session is closing; the thread is closed by its owner). */
  dispose(): void {
    this.flushDraft();
    this.disposed = true;
    for (const abort of this.asides) abort.abort();
  }

  private persist(effect: Extract<Effect, { type: "persist" }>): void {
    const dispatch = (event: SessionEvent): void => this.options.dispatch(event);
    if (effect.shell) {
      // A command the user runs is not an input for the model: nothing to store.
      dispatch({ type: "inputPersisted", input: shellView(effect.text) });
      void this.runShell(effect.text);
      return;
    }
    const options = { composer: effect.composer, supersedes: effect.supersedes };
    let input: PendingInput;
    try {
      if (effect.kind === "turn" && !this.thread.busy && !this.current) {
        const started = this.thread.start({ prompt: effect.text, ...options });
        dispatch({ type: "inputPersisted", input: pendingView(started.input) });
        this.consume(started.events);
        return;
      }
      // A turn asked for while a run still ends waits as the next turn's input.
      input =
        effect.kind === "steer"
          ? this.thread.steer(effect.text, options)
          : this.thread.enqueue(effect.text, options);
    } catch (error) {
      dispatch({ type: "inputPersistFailed", message: messageOf(error) });
      return;
    }
    dispatch({ type: "inputPersisted", input: pendingView(input) });
    if (!this.current && this.interrupting === 0) this.continueWaiting();
  }

  /** Reads a run's events until it ends; then starts the next run if inputs wait. */
  private consume(events: AsyncIterable<AgentEvent>): void {
    const dispatch = (event: SessionEvent): void => this.options.dispatch(event);
    dispatch({ type: "runStarted" });
    const reading = (async () => {
      let failed = false;
      try {
        for await (const event of events) dispatch({ type: "thread", event });
      } catch (error) {
        failed = true;
        dispatch({ type: "notice", notice: { text: messageOf(error), tone: "error" } });
      }
      return failed;
    })();
    const done = reading.then(async (failed) => {
      this.current = undefined;
      if (this.interrupting > 0) return;
      dispatch({ type: "runEnded" });
      if (failed) {
        // Refused before delivery (a route check, the prompt's size): the inputs come back.
        const restored = await this.thread.interrupt();
        if (restored.length > 0)
          dispatch({ type: "interruptSettled", restored: restored.map(pendingView) });
        return;
      }
      this.continueWaiting();
    });
    this.current = done;
  }

  /** Inputs wait and nothing runs: run them. */
  private continueWaiting(): void {
    if (this.disposed || this.current || this.thread.busy) return;
    if (this.guard(() => this.thread.pending(), []).length === 0) return;
    try {
      this.consume(this.thread.run());
    } catch (error) {
      this.options.dispatch({ type: "notice", notice: { text: messageOf(error), tone: "error" } });
    }
  }

  private async interrupt(): Promise<void> {
    this.interrupting += 1;
    let restored: PendingInput[] = [];
    try {
      restored = await this.thread.interrupt();
      await this.current;
    } catch (error) {
      this.options.dispatch({ type: "notice", notice: { text: messageOf(error), tone: "error" } });
    } finally {
      this.interrupting -= 1;
    }
    if (this.interrupting > 0) return;
    this.options.dispatch({ type: "interruptSettled", restored: restored.map(pendingView) });
    this.continueWaiting();
  }

  private async ask(question: string): Promise<void> {
    const abort = new AbortController();
    this.asides.add(abort);
    try {
      for await (const event of this.thread.ask(question, { signal: abort.signal }))
        this.options.dispatch({ type: "thread", event });
    } catch (error) {
      if (!abort.signal.aborted)
        this.options.dispatch({
          type: "notice",
          notice: { text: messageOf(error), tone: "error" },
        });
    } finally {
      this.asides.delete(abort);
    }
  }

  private async slash(name: string, args: string): Promise<void> {
    try {
      await this.options.slash?.(name, args);
    } catch (error) {
      this.options.dispatch({ type: "notice", notice: { text: messageOf(error), tone: "error" } });
    }
  }

  private async runShell(command: string): Promise<void> {
    try {
      await this.options.shell?.(command, (event) =>
        this.options.dispatch({ type: "thread", event }),
      );
    } catch (error) {
      this.options.dispatch({ type: "notice", notice: { text: messageOf(error), tone: "error" } });
    }
  }

  private async search(query: string): Promise<void> {
    if (!this.options.searchFiles) return;
    try {
      const paths = await this.options.searchFiles(query);
      this.options.dispatch({ type: "mentionResults", query, paths });
    } catch {
      this.options.dispatch({ type: "mentionResults", query, paths: [] });
    }
  }

  /** A synchronous thread call whose failure becomes a notice instead of a crash. */
  private guard<T>(call: () => T, fallback: T): T {
    try {
      return call();
    } catch (error) {
      this.options.dispatch({ type: "notice", notice: { text: messageOf(error), tone: "error" } });
      return fallback;
    }
  }
}

function shellView(command: string): PendingView {
  return {
    id: `shell_${Date.now().toString(36)}`,
    kind: "turn",
    state: "delivered",
    text: command,
    seq: -1,
    deferred: false,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const hint = (error as { hint?: unknown }).hint;
    return typeof hint === "string" && hint ? `${error.message} (${hint})` : error.message;
  }
  return String(error);
}
