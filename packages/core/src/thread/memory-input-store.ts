import { randomUUID } from "node:crypto";
import type {
  ComposerDraft,
  InputStore,
  NewInput,
  OpenedInputs,
  PendingInput,
} from "./input-store.js";

const isOpen = (input: PendingInput): boolean =>
  input.state === "pending_steer" || input.state === "queued";

/** Inputs kept in memory: enough where nobody can type while a turn runs (exec) and in tests. */
export class MemoryInputStore implements InputStore {
  readonly durable = false;
  private readonly inputs: PendingInput[] = [];
  private readonly drafts = new Map<string, ComposerDraft>();
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  add(sessionId: string, input: NewInput): PendingInput {
    const at = this.now();
    const added: PendingInput = {
      id: randomUUID(),
      sessionId,
      seq: (this.seq += 1),
      kind: input.kind,
      state: input.kind === "steer" ? "pending_steer" : "queued",
      text: input.text,
      ...(input.composer === undefined ? {} : { composer: input.composer }),
      createdAt: at,
      updatedAt: at,
      deferred: false,
    };
    this.inputs.push(added);
    if (input.supersedes?.length) this.supersede(sessionId, input.supersedes, added.id);
    this.drafts.delete(sessionId);
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

  supersede(sessionId: string, ids: readonly string[], by: string): number {
    return this.move(
      sessionId,
      (input) =>
        input.state === "restored" && input.supersededBy === undefined && ids.includes(input.id),
      (input) => {
        input.supersededBy = by;
      },
    ).length;
  }

  saveDraft(sessionId: string, draft: Omit<ComposerDraft, "updatedAt"> | undefined): void {
    if (!draft?.composer) this.drafts.delete(sessionId);
    else
      this.drafts.set(sessionId, {
        composer: draft.composer,
        restoredIds: [...draft.restoredIds],
        updatedAt: this.now(),
      });
  }

  reconcile(sessionId: string, delivered: ReadonlySet<string>): OpenedInputs {
    this.move(
      sessionId,
      (input) => isOpen(input) || (input.state === "delivered" && !delivered.has(input.id)),
      (input) => {
        input.state = "restored";
        delete input.deliveredTurn;
        delete input.deliveredVia;
      },
    );
    const draft = this.drafts.get(sessionId);
    const held = new Set(draft?.restoredIds ?? []);
    return {
      restored: this.inputs
        .filter(
          (input) =>
            input.sessionId === sessionId &&
            input.state === "restored" &&
            input.supersededBy === undefined &&
            !held.has(input.id),
        )
        .map((input) => ({ ...input })),
      draft: draft && { ...draft, restoredIds: [...draft.restoredIds] },
    };
  }

  recent(limit: number): PendingInput[] {
    return this.inputs
      .slice(-limit)
      .reverse()
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
