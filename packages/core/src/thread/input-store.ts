import type { DeliveryVia } from "../agent/events.js";

/** What the user asked for: a turn (idle), a steer into the running turn, or a queued follow-up. */
export type InputKind = "turn" | "steer" | "queue";

/**
 * Where an input is: waiting for the running turn's next boundary (`pending_steer`), waiting for
 * the next turn (`queued`), given to the model (`delivered`), or handed back to the user by an
 * interrupt (`restored`). Open inputs are `pending_steer` and `queued`; an input leaves that set
 * once and never returns to it.
 */
export type InputState = "pending_steer" | "queued" | "delivered" | "restored";

/** One input the user gave a thread, as the store keeps it. */
export interface PendingInput {
  id: string;
  sessionId: string;
  /** Submission order within the session. */
  seq: number;
  kind: InputKind;
  state: InputState;
  /** Exactly what the model gets. */
  text: string;
  /**
   * The composer's saved form of the text (a TUI's JSON: paste placeholders, mentions), so a
   * restored input comes back as it was typed. Absent: the text is all there is.
   */
  composer?: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  /** A steer that missed its turn and was queued for the next one instead. */
  deferred: boolean;
  deliveredTurn?: string;
  deliveredVia?: DeliveryVia;
  /**
   * A restored input the user dealt with: the id of the input that resubmitted its text, or
   * `cleared`. Restored inputs without it are still the user's to deal with (they come back on
   * resume).
   */
  supersededBy?: string;
}

/** A new input, as a caller gives it. */
export interface NewInput {
  kind: InputKind;
  text: string;
  /** The composer's saved form (see {@link PendingInput.composer}). */
  composer?: string;
  /**
   * Restored inputs whose text this one carries (they were edited into it): marked superseded in
   * the same write, so a crash can never leave both to come back.
   */
  supersedes?: readonly string[];
}

/** What a composer held when it was last saved, for the next start of the session. */
export interface ComposerDraft {
  /** The composer's saved form. */
  composer: string;
  /** Restored inputs whose text the draft holds: they come back as part of it, not twice. */
  restoredIds: string[];
  /** Epoch ms. */
  updatedAt: number;
}

/** What a session's user had not dealt with when it was last open: reconciled on resume. */
export interface OpenedInputs {
  /**
   * Inputs the model never got and the user has not resubmitted or cleared, in submission order
   * (state `restored`), except those the draft holds.
   */
  restored: PendingInput[];
  /** The composer as last saved, when it held anything. */
  draft: ComposerDraft | undefined;
}

/**
 * Where a thread keeps the inputs it has not delivered yet, so none is lost or delivered twice.
 * Every method is synchronous: the thread delivers an input (a state change here) and appends it
 * to the session file in one synchronous block, so an interrupt can never fall between the two.
 * Each state change applies only to inputs still in the expected state, so an input moves once.
 * Implementations: {@link MemoryInputStore} (exec, tests); {@link SqliteInputStore} (the TUI:
 * durable, written before the screen shows anything).
 */
export interface InputStore {
  /** Whether inputs outlive the process (then the thread makes its session file at once). */
  readonly durable: boolean;
  /**
   * Records a new input: a turn or a queued follow-up is `queued`, a steer `pending_steer`. Marks
   * `supersedes` and clears the session's draft (the composer was submitted) in the same write.
   */
  add(sessionId: string, input: NewInput): PendingInput;
  /** Open inputs in `states` become `delivered`; returned in submission order. */
  claim(
    sessionId: string,
    states: readonly ("pending_steer" | "queued")[],
    delivery: { turn: string; via: DeliveryVia },
  ): PendingInput[];
  /** Steers that missed their turn become `queued` (and `deferred`); returned in order. */
  defer(sessionId: string): PendingInput[];
  /**
   * Open inputs (all, or those of `ids`) become `restored`; returned in submission order. An id
   * already delivered is not returned: the model has it.
   */
  restore(sessionId: string, ids?: readonly string[]): PendingInput[];
  /** The open inputs, in submission order. */
  open(sessionId: string): PendingInput[];
  /**
   * Restored inputs (of `ids`) not superseded yet get `supersededBy = by` (an input id, or
   * `cleared`); returns how many changed.
   */
  supersede(sessionId: string, ids: readonly string[], by: string): number;
  /** Keeps the session's composer (undefined or an empty composer: forgets it). */
  saveDraft(sessionId: string, draft: Omit<ComposerDraft, "updatedAt"> | undefined): void;
  /**
   * After the session's last process ended (it may have crashed): inputs `delivered` whose id is
   * not in `delivered` (the session file's proof) and every open input become `restored` (no
   * turn runs now); returns what the user has not dealt with, and the draft.
   */
  reconcile(sessionId: string, delivered: ReadonlySet<string>): OpenedInputs;
  /** The last `limit` inputs of any session, newest first (a composer's Up history). */
  recent(limit: number): PendingInput[];
}
