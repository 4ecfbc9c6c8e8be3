import { randomUUID } from "node:crypto";
import type { InputKind, InputStore, PendingInput } from "./input-store.js";

const isOpen = (input: PendingInput): boolean =>
  input.state === "pending_steer" || input.state === "queued";

/** Inputs kept in memory: enough where nobody can type while a turn runs (exec) and in tests. */
export class MemoryInputStore implements InputStore {
  private readonly inputs: PendingInput[] = [];
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  add(sessionId: string, input: { kind: InputKind; text: string }): PendingInput {
    const at = this.now();
    const added: PendingInput = {
      id: randomUUID(),
      sessionId,
      seq: (this.seq += 1),
      kind: input.kind,
      state: input.kind === "steer" ? "pending_steer" : "queued",
      text: input.text,
      createdAt: at,
      updatedAt: at,
      deferred: false,
    };
    this.inputs.push(added);
    return { ...added };
  }

  claim(
    sessionId: string,
    states: readonly ("pending_steer" | "queued")[],
    delivery: { turn: string; via: "turn_start" | "tool_boundary" },
  ): PendingInput[] {
    return this.move(
      sessionId,
      (input) => (states as readonly string[]).includes(input.state),
      (input) => {
        input.state = "delivered";
        input.deliveredTurn = delivery.turn;
        input.deliveredVia = delivery.via;
      },
    );
  }

  defer(sessionId: string): PendingInput[] {
    return this.move(
      sessionId,
      (input) => input.state === "pending_steer",
      (input) => {
        input.state = "queued";
        input.deferred = true;
      },
    );
  }

  restore(sessionId: string, ids?: readonly string[]): PendingInput[] {
    return this.move(
      sessionId,
      (input) => isOpen(input) && (ids === undefined || ids.includes(input.id)),
      (input) => {
        input.state = "restored";
      },
    );
  }

  open(sessionId: string): PendingInput[] {
    return this.inputs
      .filter((input) => input.sessionId === sessionId && isOpen(input))
      .map((input) => ({ ...input }));
  }

  /** Changes every matching input of the session, in submission order, and returns copies. */
  private move(
    sessionId: string,
    matches: (input: PendingInput) => boolean,
    change: (input: PendingInput) => void,
  ): PendingInput[] {
    const at = this.now();
    const moved: PendingInput[] = [];
    for (const input of this.inputs) {
      if (input.sessionId !== sessionId || !matches(input)) continue;
      change(input);
      input.updatedAt = at;
      moved.push({ ...input });
    }
    return moved;
  }
}
