import type { AgentEvent, TurnUsage } from "@hedge/core";
import type { EvalAgent } from "./agent.js";

/** A route a role took, as the attempt record keeps it. */
export interface TakenRoute {
  role: string;
  provider: string;
  profile: string | null;
  upstream_model: string;
}

/** Counts what an attempt's thread events show: tokens, $, tool calls, malformed edits, routes. */
export class AttemptMetrics {
  readonly tokens = { input: 0, cached_input: 0, output: 0 };
  costUsd: number | null = 0;
  toolCalls = 0;
  malformedEdits = 0;
  readonly routes: TakenRoute[] = [];
  private readonly current = new Map<string, TakenRoute>();
  failure: string | undefined;

  constructor(private readonly price: EvalAgent["priceCall"]) {}

  observe(event: AgentEvent): void {
    if (event.type === "usage.updated") {
      this.addCall(event.role, event.call);
      return;
    }
    if (event.type === "turn.failed") this.failure = event.error.message;
    if (event.type !== "item.completed") return;
    const item = event.item;
    if (item.type === "route_decision") {
      const route = {
        role: item.role,
        provider: item.provider,
        profile: item.profile,
        upstream_model: item.upstream_model,
      };
      this.current.set(item.role, route);
      if (!this.routes.some((known) => JSON.stringify(known) === JSON.stringify(route)))
        this.routes.push(route);
    } else if (item.type === "command_execution" || item.type === "tool_call") {
      this.toolCalls += 1;
      if (item.type === "tool_call" && item.tool === "apply_patch" && item.status === "failed")
        this.malformedEdits += 1;
      // A js script's patches are applied by the host after it; their failures are in its output.
      if (item.type === "tool_call" && item.tool === "js")
        this.malformedEdits += (item.output ?? "").split("apply_patch failed").length - 1;
    } else if (item.type === "file_change") {
      this.toolCalls += 1;
      if (item.status === "failed") this.malformedEdits += 1;
    }
  }

  private addCall(role: string, call: TurnUsage): void {
    this.tokens.input += call.input_tokens;
    this.tokens.cached_input += call.cached_input_tokens;
    this.tokens.output += call.output_tokens;
    const route = this.current.get(role);
    const cost = route ? this.price(route, call) : null;
    this.costUsd = this.costUsd === null || cost === null ? null : this.costUsd + cost;
  }
}
