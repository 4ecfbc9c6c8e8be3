import {
  MemoryInputStore,
  type AgentEvent,
  type ApprovalAnswer,
  type InputOptions,
  type PendingInput,
  type RunInput,
  type StartedRun,
  type ThreadState,
} from "@hedge/core";
import type { ThreadPort } from "../runtime/effect-runner.js";

/** An async iterable the test pushes into (one consumer). */
class Pushable implements AsyncIterable<AgentEvent> {
  private readonly buffer: AgentEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;

  push(event: AgentEvent): void {
    this.buffer.push(event);
    this.wake?.();
  }

  end(error?: Error): void {
    this.ended = true;
    this.failure = error;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AgentEvent> {
    for (;;) {
      const next = this.buffer.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/**
 * A thread whose turns the test moves step by step (start a turn, reach a tool boundary, end
 * it), over core's real in-memory input store, so inputs move between states exactly as in the
 * real thread: a claimed input is delivered once, an interrupt restores every open one.
 */
export class FakeThread implements ThreadPort {
  readonly id = "fake-session";
  readonly store = new MemoryInputStore();
  /** What the model got, one entry per delivered message. */
  readonly delivered: string[] = [];
  readonly answers: { requestId: string; answer: ApprovalAnswer }[] = [];
  readonly drafts: ({ composer: string; restoredIds: readonly string[] } | undefined)[] = [];
  runs = 0;
  private active: Pushable | undefined;
  private turns = 0;

  get busy(): boolean {
    return this.active !== undefined;
  }

  start(input: RunInput): StartedRun {
    if (this.active) throw new Error("a turn is already running in this thread");
    const added = this.add("turn", input.prompt, input);
    return { input: added, events: this.begin() };
  }

  run(): AsyncIterable<AgentEvent> {
    if (this.active) throw new Error("a turn is already running in this thread");
    return this.begin();
  }

  steer(text: string, options: InputOptions = {}): PendingInput {
    return this.add("steer", text, options);
  }

  enqueue(text: string, options: InputOptions = {}): PendingInput {
    return this.add("queue", text, options);
  }

  async interrupt(): Promise<PendingInput[]> {
    const restored = this.store.restore(this.id);
    const active = this.active;
    if (active) {
      active.push({ type: "turn.interrupted", restored_ids: restored.map(({ id }) => id) });
      this.active = undefined;
      // The real thread resolves once its loop has stopped, a few ticks later.
      await new Promise((resolve) => setImmediate(resolve));
      active.end();
    }
    return restored;
  }

  pullBack(inputId: string): PendingInput | undefined {
    return this.store.restore(this.id, [inputId])[0];
  }

  supersede(inputIds: readonly string[], by: string): void {
    this.store.supersede(this.id, inputIds, by);
  }

  answerApproval(requestId: string, answer: ApprovalAnswer): boolean {
    this.answers.push({ requestId, answer });
    return true;
  }

  ask(question: string): AsyncIterable<AgentEvent> {
    const channel = new Pushable();
    const id = `aside_${question.length}`;
    const item = {
      id,
      type: "aside" as const,
      question,
      text: "",
      status: "in_progress" as const,
      model: "fake",
    };
    channel.push({ type: "item.started", item });
    channel.push({
      type: "item.completed",
      item: { ...item, status: "completed", text: `answer to ${question}` },
    });
    channel.end();
    return channel;
  }

  saveDraft(draft: { composer: string; restoredIds: readonly string[] } | undefined): void {
    this.drafts.push(draft);
  }

  pending(): PendingInput[] {
    return this.store.open(this.id);
  }

  state(): ThreadState {
    const role = {
      model: "lab/coder",
      profiles: [],
      route: undefined,
    } as unknown as ThreadState["roles"]["executor"];
    return {
      sessionId: this.id,
      running: this.busy,
      pinnedProfile: undefined,
      usage: zeroUsage,
      costUsd: null,
      contextUsedPct: null,
      contextWindow: 200_000,
      roles: { orchestrator: role, executor: role, qa: role },
      contextRole: "executor",
      pending: this.pending(),
    };
  }

  // The test's controls, in the order a real turn goes.

  /** A turn starts: every waiting input is delivered as its first message. */
  startTurn(): void {
    const claimed = this.store.claim(this.id, ["queued", "pending_steer"], {
      turn: `turn_${(this.turns += 1)}`,
      via: "turn_start",
    });
    this.deliver(claimed, "turn_start");
    this.emit({ type: "turn.started" });
  }

  /** A tool finished: waiting steers reach the model. */
  boundary(): void {
    const claimed = this.store.claim(this.id, ["pending_steer"], {
      turn: `turn_${this.turns}`,
      via: "tool_boundary",
    });
    this.deliver(claimed, "tool_boundary");
  }

  /** The turn ends: steers that missed it are deferred to the next one. */
  endTurn(): void {
    this.emit({ type: "turn.completed", usage: zeroUsage });
    const deferred = this.store.defer(this.id);
    if (deferred.length > 0)
      this.emit({ type: "input.deferred", ids: deferred.map(({ id }) => id) });
  }

  /** The run's events end (the real thread does this once nothing waits). */
  finish(error?: Error): void {
    const active = this.active;
    this.active = undefined;
    active?.end(error);
  }

  emit(event: AgentEvent): void {
    this.active?.push(event);
  }

  private deliver(claimed: PendingInput[], via: "turn_start" | "tool_boundary"): void {
    if (claimed.length === 0) return;
    this.delivered.push(claimed.map(({ text }) => text).join("\n\n"));
    this.emit({ type: "input.delivered", ids: claimed.map(({ id }) => id), via });
  }

  private begin(): AsyncIterable<AgentEvent> {
    this.runs += 1;
    this.active = new Pushable();
    return this.active;
  }

  private add(kind: "turn" | "steer" | "queue", text: string, options: InputOptions): PendingInput {
    return this.store.add(this.id, {
      kind,
      text,
      ...(options.composer === undefined ? {} : { composer: options.composer }),
      ...(options.supersedes === undefined ? {} : { supersedes: options.supersedes }),
    });
  }
}

const zeroUsage = {
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
};
