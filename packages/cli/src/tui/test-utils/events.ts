import type { AgentEvent, ThreadItem } from "@hedge/core";

/**
 * Small builders of the thread's real `AgentEvent`s (the zod union of `@hedge/core`), so tests
 * read as the sequence a thread emits. Each returns a plain event object, checked by the type.
 */

type Item<T extends ThreadItem["type"]> = Extract<ThreadItem, { type: T }>;

export const started = (item: ThreadItem): AgentEvent => ({ type: "item.started", item });
export const updated = (item: ThreadItem): AgentEvent => ({ type: "item.updated", item });
export const completed = (item: ThreadItem): AgentEvent => ({ type: "item.completed", item });

export const delta = (
  itemId: string,
  text: string,
  field: "text" | "reasoning" = "text",
): AgentEvent => ({ type: "item.delta", item_id: itemId, field, delta: text });

export const delivered = (
  ids: string[],
  via: "turn_start" | "tool_boundary" = "turn_start",
): AgentEvent => ({ type: "input.delivered", ids, via });

export const turnCompleted = (): AgentEvent => ({
  type: "turn.completed",
  usage: {
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
  },
});

export function command(
  id: string,
  commandLine: string,
  output: string,
  status: Item<"command_execution">["status"] = "in_progress",
  exitCode?: number,
): Item<"command_execution"> {
  return {
    id,
    type: "command_execution",
    command: commandLine,
    aggregated_output: output,
    status,
    ...(exitCode === undefined ? {} : { exit_code: exitCode }),
  };
}

export function message(id: string, text: string): Item<"agent_message"> {
  return { id, type: "agent_message", text };
}

export function route(
  role: string,
  provider: string,
  upstreamModel: string,
  profile: string | null,
  reason: string,
): Item<"route_decision"> {
  return {
    id: `route_${role}_${upstreamModel}`,
    type: "route_decision",
    role,
    model: `${provider}/${upstreamModel}`,
    provider,
    upstream_model: upstreamModel,
    profile,
    reason,
  };
}

export function qa(
  id: string,
  verdict: Item<"qa_verdict">["verdict"],
  reason: string,
  tasks: string[] = [],
): Item<"qa_verdict"> {
  return { id, type: "qa_verdict", verdict, reason, tasks, round: 1 };
}

export function roleActivity(
  role: string,
  phase: "model" | "tool" | "checking" | "idle",
  model: string,
  startedAt: number,
  extra: { profile?: string | null; action?: string } = {},
): AgentEvent {
  return {
    type: "role.activity",
    role,
    phase,
    model,
    profile: extra.profile ?? null,
    started_at: startedAt,
    ...(extra.action === undefined ? {} : { action: extra.action }),
  };
}

export function usageUpdated(role: string, input: number, output: number): AgentEvent {
  const call = {
    input_tokens: input,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: output,
    reasoning_output_tokens: 0,
  };
  return { type: "usage.updated", role, call, total: call, context_used_pct: 10 };
}
