import type { AgentEvent, ThreadState } from "@hedge/core";
import type { UsageReportView } from "@hedge/model-spec";
import { intentFor } from "../state/keymap.js";
import { applyRoleEvent, EMPTY_ROLES, roleRows, type RolesState } from "../state/role-activity.js";
import type { Cell } from "../state/cells.js";
import {
  keyModeFor,
  type SessionEvent,
  type SessionState,
  type UiAction,
} from "../state/session-state.js";
import { TranscriptModel } from "../state/transcript-model.js";
import type { KeyEvent } from "../terminal/key-event.js";
import { EffectRunner, type EffectRunnerOptions, type ThreadPort } from "./effect-runner.js";
import { createSessionStore, type SessionStore } from "./session-store.js";

/** What the screen shows, as one immutable snapshot (a new object whenever something changed). */
export interface TuiSnapshot {
  session: SessionState;
  committed: readonly Cell[];
  /** Final cells before `committed[0]`, no longer held (printed, or left out on resume). */
  committedBefore: number;
  live: readonly Cell[];
  roles: RolesState;
  /** The thread's usage and routes (undefined until the thread exists). */
  thread: ThreadState | undefined;
  /** The profiles' rate-limit headroom (undefined until read, or when unreadable). */
  usage: UsageReportView | undefined;
  /** Epoch ms of this snapshot (elapsed times, countdowns). */
  now: number;
  /** Bumped by Ctrl+L: the transcript is printed again below a cleared screen. */
  epoch: number;
  /** Ctrl+T: the role panel shows the selected role's output. */
  rolesExpanded: boolean;
  /** Which role row is selected (an index into the panel's rows; Up/Down while expanded). */
  roleSelected: number;
}

/** A thread as the controller needs it: the runner's port plus its status. */
export type ControlledThread = ThreadPort & { state(): ThreadState };

/** Options of {@link TuiController}. */
export interface TuiControllerOptions {
  initial: SessionState;
  /** Runner options other than the thread and dispatch (slash commands, shell, files, quit). */
  runner: Omit<EffectRunnerOptions, "thread" | "dispatch">;
  /** How often thread events (streamed text) reach the screen at most (default 33 ms). */
  frameMs?: number;
  now?: () => number;
  /** Called with each key batch's arrival time once it was reduced (HEDGE_TUI_TRACE). */
  onKeys?(receivedAt: number): void;
  /** Ctrl+L: clear the terminal before the transcript is printed again. */
  clearScreen?(): void;
  /** Reads the profiles' headroom (at start and after each turn) for the status line. */
  readUsage?(): Promise<UsageReportView>;
  /** A turn ran here and ended (not a replayed one): the session's `[hooks]` follow it. */
  onTurnEnd?(outcome: "completed" | "failed"): void;
}

/**
 * The interactive session without React: keys in (through the keymap and the reducer), thread
 * events in (to the reducer, the transcript model and the role panel), one snapshot out. Keys
 * update the snapshot at once; thread events are coalesced to one update per frame, so a fast
 * stream never queues renders in front of a key press. The thread may come later than the first
 * frame (the model connection loads after the composer shows): effects wait for it.
 */
export class TuiController {
  readonly store: SessionStore;
  readonly transcript = new TranscriptModel();
  private roles: RolesState = EMPTY_ROLES;
  private thread: ControlledThread | undefined;
  private runner: EffectRunner | undefined;
  private readonly waiting: Parameters<EffectRunner["execute"]>[0][] = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: TuiSnapshot;
  private threadState: ThreadState | undefined;
  private usage: UsageReportView | undefined;
  private readingUsage = false;
  private frameTimer: NodeJS.Timeout | undefined;
  private threadDirty = false;
  private epoch = 0;
  private rolesExpanded = false;
  private roleSelected = 0;
  private readonly now: () => number;

  constructor(private readonly options: TuiControllerOptions) {
    this.now = options.now ?? Date.now;
    this.store = createSessionStore(options.initial, {
      execute: (effect) => {
        if (effect.type === "ui") this.ui(effect.action);
        if (this.runner) this.runner.execute(effect);
        else if (effect.type === "quit") options.runner.quit();
        else this.waiting.push(effect);
      },
      observe: (event) => this.observe(event),
    });
    // Session changes (keys, stored inputs) show at once; thread events wait for the frame.
    this.store.subscribe(() => {
      if (this.store.getState() !== this.snapshot.session) this.publish();
    });
    this.snapshot = this.makeSnapshot();
  }

  /**
   * The thread is ready (or replaces the previous one, between turns): effects that waited for
   * it run now.
   */
  attach(thread: ControlledThread): EffectRunner {
    this.runner?.dispose();
    this.thread = thread;
    this.threadState = undefined;
    const runner = new EffectRunner({
      ...this.options.runner,
      thread,
      dispatch: (event) => this.store.dispatch(event),
    });
    this.runner = runner;
    for (const effect of this.waiting.splice(0)) runner.execute(effect);
    this.threadDirty = true;
    this.publish();
    this.refreshUsage();
    return runner;
  }

  get effectRunner(): EffectRunner | undefined {
    return this.runner;
  }

  dispatch(event: SessionEvent): void {
    this.store.dispatch(event);
  }

  /** Decoded keys from the key source. */
  keys(events: readonly KeyEvent[], receivedAt: number): void {
    for (const event of events) {
      const intent = intentFor(event, keyModeFor(this.store.getState()));
      if (intent) this.store.dispatch({ type: "intent", intent, now: this.now() });
    }
    this.options.onKeys?.(receivedAt);
  }

  /** Advances the clock shown (elapsed times) and expires the Ctrl+C arm. */
  tick(): void {
    this.store.dispatch({ type: "tick", now: this.now() });
    this.threadDirty = true;
    this.publish();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TuiSnapshot => this.snapshot;

  /** Stops the frame timer (the session is closing). */
  dispose(): void {
    if (this.frameTimer) clearTimeout(this.frameTimer);
    this.frameTimer = undefined;
    this.runner?.dispose();
  }

  private observe(event: SessionEvent): void {
    if (event.type === "inputPersisted") this.transcript.noteInputs([event.input]);
    if (event.type === "notice" && event.notice.tone === "error")
      this.transcript.notice(event.notice.text, "warning");
    if (event.type !== "thread") return;
    if (event.event.type === "turn.completed") this.options.onTurnEnd?.("completed");
    if (event.event.type === "turn.failed") this.options.onTurnEnd?.("failed");
    this.applyThreadEvent(event.event);
  }

  /** A thread event for the transcript and the role panel (replayed ones too, on resume). */
  applyThreadEvent(event: AgentEvent): void {
    if (event.type === "turn.completed" || event.type === "turn.failed") this.refreshUsage();
    this.transcript.apply(event, this.now());
    this.roles = applyRoleEvent(this.roles, event);
    this.threadDirty = true;
    this.scheduleFrame();
  }

  /** Reads the headroom again (one read at a time; a failed read leaves the last one shown). */
  private refreshUsage(): void {
    if (!this.options.readUsage || this.readingUsage) return;
    this.readingUsage = true;
    this.options.readUsage().then(
      (usage) => {
        this.readingUsage = false;
        this.usage = usage;
        this.threadDirty = true;
        this.scheduleFrame();
      },
      () => {
        this.readingUsage = false;
      },
    );
  }

  private scheduleFrame(): void {
    if (this.frameTimer) return;
    this.frameTimer = setTimeout(() => {
      this.frameTimer = undefined;
      this.publish();
    }, this.options.frameMs ?? 33);
  }

  private ui(action: UiAction): void {
    if (action === "expandRole") this.rolesExpanded = !this.rolesExpanded;
    const count = roleRows(this.roles).length;
    const selected = Math.min(this.roleSelected, Math.max(0, count - 1));
    if (action === "previousRole") this.roleSelected = Math.max(0, selected - 1);
    if (action === "nextRole") this.roleSelected = Math.min(Math.max(0, count - 1), selected + 1);
    if (action === "redraw") {
      this.options.clearScreen?.();
      this.epoch += 1;
    }
    this.threadDirty = true;
    this.scheduleFrame();
  }

  /** A new snapshot when something changed; listeners told. */
  private publish(): void {
    const next = this.makeSnapshot();
    const previous = this.snapshot;
    if (
      next.session === previous.session &&
      next.committed === previous.committed &&
      next.committedBefore === previous.committedBefore &&
      next.live === previous.live &&
      next.roles === previous.roles &&
      next.epoch === previous.epoch &&
      next.rolesExpanded === previous.rolesExpanded &&
      next.roleSelected === previous.roleSelected &&
      !this.threadDirty
    )
      return;
    this.threadDirty = false;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private makeSnapshot(): TuiSnapshot {
    if (this.thread && (this.threadDirty || !this.threadState)) {
      try {
        this.threadState = this.thread.state();
      } catch {
        // A closed thread (quitting): keep what was shown.
      }
    }
    return {
      session: this.store.getState(),
      committed: this.transcript.committed,
      committedBefore: this.transcript.committedBefore,
      live: this.transcript.live(),
      roles: this.roles,
      thread: this.threadState,
      usage: this.usage,
      now: this.now(),
      epoch: this.epoch,
      rolesExpanded: this.rolesExpanded,
      roleSelected: this.roleSelected,
    };
  }
}
