import type { CanonicalUsage } from "@hedge/model-spec";
import {
  addTurnUsage,
  addUsage,
  emptyTurnUsage,
  type AgentEvent,
  type TurnUsage,
} from "../agent/events.js";

/**
 * A thread's token accounting for a status line: the session's total (earlier runs included)
 * and how full the model's context window is, updated after every model call.
 */
export class UsageTracker {
  /** Turns that ended (and side questions). */
  private readonly settled: TurnUsage;
  /** Calls of the running turn, until it ends with its own total. */
  private current = emptyTurnUsage();
  private contextUsed: number | undefined;

  constructor(
    base: TurnUsage,
    private readonly contextWindow: number,
  ) {
    this.settled = { ...base };
  }

  /** One model call of the running turn; `inContext`: it sent the conversation itself. */
  call(
    role: string,
    usage: CanonicalUsage,
    inContext: boolean,
  ): Extract<AgentEvent, { type: "usage.updated" }> {
    const call = emptyTurnUsage();
    addUsage(call, usage);
    addUsage(this.current, usage);
    if (inContext) this.contextUsed = usage.input_tokens + usage.output_tokens;
    return {
      type: "usage.updated",
      role,
      call,
      total: this.total(),
      context_used_pct: this.contextUsedPct(),
    };
  }

  /** A side question's call: counted, the conversation's context unchanged. */
  aside(usage: CanonicalUsage): void {
    addUsage(this.settled, usage);
  }

  /** A compaction outside a turn (`/compact`): its call counts; the context is now `contextTokens`. */
  compacted(usage: TurnUsage, contextTokens: number): void {
    addTurnUsage(this.settled, usage);
    this.contextUsed = contextTokens;
  }

  /** The turn ended: its reported total replaces its calls (it has them all, compaction too). */
  turnCompleted(usage: TurnUsage): void {
    addTurnUsage(this.settled, usage);
    this.current = emptyTurnUsage();
  }

  /** The turn failed: what its calls used still counts. */
  turnFailed(): void {
    addTurnUsage(this.settled, this.current);
    this.current = emptyTurnUsage();
  }

  total(): TurnUsage {
    const total = { ...this.settled };
    addTurnUsage(total, this.current);
    return total;
  }

  /** Percent of the context window the conversation filled at the last call, 0-100. */
  contextUsedPct(): number | null {
    if (this.contextUsed === undefined) return null;
    return Math.min(100, Math.round((this.contextUsed / this.contextWindow) * 1000) / 10);
  }
}
