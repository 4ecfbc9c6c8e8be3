import type {
  AgentEvent,
  ApprovalAnswer,
  ApprovalRequest,
  InputKind,
  InputState,
} from "@hedge/core";
import { emptyBuffer, type ComposerBuffer } from "./composer-buffer.js";
import { historyFrom, type InputHistory } from "./input-history.js";
import type { Intent, KeyMode } from "./keymap.js";

/**
 * Where the thread is, as the composer sees it: nothing runs (`idle`), an input was stored and a
 * run began but no turn started yet (`starting`), a turn runs (`running`), or an interrupt was
 * asked for and the runtime has not handed the undelivered inputs back yet (`interrupting`).
 */
export type TurnPhase = "idle" | "starting" | "running" | "interrupting";

/** An input the thread holds and has not delivered: a mirror of its stored row. */
export interface PendingView {
  id: string;
  kind: InputKind;
  state: InputState;
  /** What the model gets. */
  text: string;
  /** The composer's saved form (JSON), to restore it as typed. */
  composer?: string;
  seq: number;
  /** A steer that missed its turn: it goes with the next one. */
  deferred: boolean;
}

/** An approval the thread waits on. */
export interface ApprovalView {
  requestId: string;
  request: ApprovalRequest;
}

/** The answers an approval prompt offers, in the order it lists them. */
export const APPROVAL_CHOICES = [
  "approve_once",
  "approve_session",
  "deny",
  "deny_with_note",
] as const;
export type ApprovalChoice = (typeof APPROVAL_CHOICES)[number];

/**
 * Where keys go while approvals wait: the prompt (`panel`), the composer (to steer while the
 * turn waits), or the note of a "deny with a note".
 */
export type ApprovalFocus = "panel" | "composer" | "note";

/** A popup over the composer. */
export type Overlay =
  | { type: "none" }
  | { type: "slash"; query: string; selected: number }
  | {
      type: "mention";
      /** The text after `@` up to the cursor. */
      query: string;
      selected: number;
      /** Paths for `query`; undefined until the search answered. */
      results: readonly string[] | undefined;
    };

/** An entry of a list picker: what it shows, and the argument its command gets when chosen. */
export interface PickerChoice {
  label: string;
  description?: string;
  /** `/COMMAND VALUE` runs when it is chosen. */
  value: string;
  /** The one in use now (marked). */
  current?: boolean;
}

/**
 * A list picker (`/model`, `/resume` without an argument): Up/Down select, typing filters,
 * Enter runs `/command VALUE`, Esc closes it.
 */
export interface PickerState {
  /** The slash command a choice runs. */
  command: string;
  title: string;
  items: readonly PickerChoice[];
  /** Index into the items matching `filter`. */
  selected: number;
  filter: string;
}

/** A one-line message under the composer (a refused command, a hint); cleared by the next edit. */
export interface Notice {
  text: string;
  tone: "info" | "warning" | "error";
}

/** The interactive session's input state: everything the composer, preview and prompts show. */
export interface SessionState {
  phase: TurnPhase;
  overlay: Overlay;
  /** The composer text when the user closed a popup (it stays closed until the text changes). */
  dismissedAt: string | null;
  /** Waiting approvals; the first one is shown. */
  approvals: readonly ApprovalView[];
  approvalFocus: ApprovalFocus;
  /** The highlighted answer of the shown approval (an index into {@link APPROVAL_CHOICES}). */
  approvalSelected: number;
  /** The note of a "deny with a note" being written. */
  note: ComposerBuffer;
  composer: ComposerBuffer;
  /** Restored inputs whose text the composer holds (a submit or a clear deals with them). */
  restoredIds: readonly string[];
  /** Inputs stored and not delivered yet, in order. */
  pending: readonly PendingView[];
  history: InputHistory;
  /** Epoch ms until which a Ctrl+C quits. */
  quitArmedUntil: number | null;
  /** The composer (saved form) of a submit being stored: cleared only once it is stored. */
  persisting: string | null;
  /**
   * Enter (or Tab) pressed on new text while the last submit was still being stored (type-ahead
   * arriving in the same read, or before the thread was ready): it is submitted once that one
   * is stored, instead of being dropped.
   */
  submitAfterPersist: "submit" | "queue" | null;
  notice: Notice | null;
  /**
   * The pager (Ctrl+O): the first row shown, and how far it can go (set once the app laid the
   * text out), or null when closed.
   */
  pager: { offset: number; max: number; page: number } | null;
  /** The open list picker, or null. */
  picker: PickerState | null;
  /** Ctrl+T: the role panel shows the selected role's output; Up/Down then select the role. */
  rolesExpanded: boolean;
  /** Quitting: the app unmounts. */
  exiting: boolean;
}

/** What happens to the session: keys (as intents), and what the runtime reports. */
export type SessionEvent =
  | { type: "intent"; intent: Intent; now: number }
  | { type: "inputPersisted"; input: PendingView }
  | { type: "inputPersistFailed"; message: string }
  | { type: "runStarted" }
  | { type: "runEnded" }
  | { type: "thread"; event: AgentEvent }
  | { type: "interruptSettled"; restored: readonly PendingView[] }
  | { type: "pulledBack"; id: string; input: PendingView | undefined }
  | { type: "mentionResults"; query: string; paths: readonly string[] }
  | {
      type: "resumed";
      restored: readonly PendingView[];
      /** The saved composer and the restored inputs it holds. */
      draft: { composer: string; restoredIds: readonly string[] } | undefined;
    }
  | { type: "history"; entries: readonly ComposerBuffer[] }
  | { type: "notice"; notice: Notice }
  /** A slash command without its argument offers these choices. */
  | { type: "openPicker"; picker: Omit<PickerState, "selected" | "filter"> }
  | { type: "tick"; now: number }
  /** The pager's text was laid out: `max` is the last first-row, `page` the rows shown. */
  | { type: "pagerLayout"; max: number; page: number };

/** What only the screen changes: Ctrl+T, Ctrl+L, the role selected while expanded. */
export type UiAction = "expandRole" | "redraw" | "previousRole" | "nextRole";

/** What the reducer asks the runtime to do. */
export type Effect =
  | {
      type: "persist";
      /** `turn` when idle (or after an interrupt), `steer` / `queue` while a turn runs. */
      kind: InputKind;
      text: string;
      composer: string;
      supersedes: readonly string[];
      /** `!cmd`: run it in the sandbox instead of sending it to the model. */
      shell: boolean;
    }
  | { type: "interrupt" }
  | { type: "pullBack"; id: string }
  | { type: "supersede"; ids: readonly string[] }
  | { type: "answerApproval"; requestId: string; answer: ApprovalAnswer }
  | { type: "slash"; name: string; args: string }
  | { type: "saveDraft"; composer: string | undefined; restoredIds: readonly string[] }
  | { type: "searchFiles"; query: string }
  | { type: "ui"; action: UiAction }
  | { type: "quit" };

/** The reducer's answer: the next state and what to do. */
export interface Reduction {
  state: SessionState;
  effects: Effect[];
}

/** A fresh session: idle, empty composer. */
export function initialSessionState(history: readonly ComposerBuffer[] = []): SessionState {
  return {
    phase: "idle",
    overlay: { type: "none" },
    dismissedAt: null,
    approvals: [],
    approvalFocus: "panel",
    approvalSelected: 0,
    note: emptyBuffer,
    composer: emptyBuffer,
    restoredIds: [],
    pending: [],
    history: historyFrom(history),
    quitArmedUntil: null,
    persisting: null,
    submitAfterPersist: null,
    notice: null,
    pager: null,
    picker: null,
    rolesExpanded: false,
    exiting: false,
  };
}

/** Whether the thread runs (or is about to, or is stopping): steers and queues apply. */
export function isBusy(state: SessionState): boolean {
  return state.phase !== "idle";
}

/** Which key table applies now: the pager, an approval prompt with the focus, or typing. */
export function keyModeFor(state: SessionState): KeyMode {
  if (state.pager) return "pager";
  return state.approvals.length > 0 && state.approvalFocus === "panel" ? "approval" : "compose";
}
