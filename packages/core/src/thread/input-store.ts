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
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  /** A steer that missed its turn and was queued for the next one instead. */
  deferred: boolean;
  deliveredTurn?: string;
  deliveredVia?: DeliveryVia;
}

/**
 * Where a thread keeps the inputs it has not delivered yet, so none is lost or delivered twice.
 * Every method is synchronous: the thread delivers an input (a state change here) and appends it
 * to the session file in one synchronous block, so an interrupt can never fall between the two.
 * Each state change applies only to inputs still in the expected state, so an input moves once.
 * Implementations: {@link MemoryInputStore} (exec, tests); a durable one for the TUI.
 */
export interface InputStore {
  /** Records a new input: a turn or a queued follow-up is `queued`, a steer `pending_steer`. */
  add(sessionId: string, input: { kind: InputKind; text: string }): PendingInput;
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
}
