/**
 * The agent's event stream: the shapes of `codex exec --json`, so scripts and the official
 * `@openai/codex-sdk` read hedge's output unchanged. hedge-only information (route decisions,
 * profile switches, QA verdicts, other tools) comes as extra item types a Codex consumer ignores.
 */

import type { CanonicalUsage } from "@hedge/model-spec";

export type CommandStatus = "in_progress" | "completed" | "failed" | "declined";

export interface AgentMessageItem {
  id: string;
  type: "agent_message";
  text: string;
}
export interface ReasoningItem {
  id: string;
  type: "reasoning";
  text: string;
}
export interface CommandExecutionItem {
  id: string;
  type: "command_execution";
  command: string;
  aggregated_output: string;
  exit_code?: number;
  status: CommandStatus;
}
export interface FileChangeItem {
  id: string;
  type: "file_change";
  changes: { path: string; kind: "add" | "delete" | "update" }[];
  status: "completed" | "failed";
}
export interface TodoListItem {
  id: string;
  type: "todo_list";
  items: { text: string; completed: boolean }[];
}
export interface ErrorItem {
  id: string;
  type: "error";
  message: string;
}
/** hedge: the QA verifier's verdict on a turn (`pass`, `add_tasks`, `block`). */
export interface QaVerdictItem {
  id: string;
  type: "qa_verdict";
  verdict: "pass" | "add_tasks" | "block";
  tasks: string[];
  reason: string;
  /** 1-based QA round within the turn. */
  round: number;
}
/**
 * hedge: the usage heartbeat moved this thread's calls from one login profile to another
 * (`profile.switched`): the previous one neared its rate limit, answered 429, or is cooling down.
 */
export interface ProfileSwitchItem {
  id: string;
  type: "profile_switch";
  provider: string;
  from: string;
  to: string;
  reason: string;
}
/** hedge: something the user should know that is not an error (e.g. context compaction). */
export interface NoticeItem {
  id: string;
  type: "notice";
  message: string;
}
/** hedge: any other tool (read_file, list_dir, grep, ...). */
export interface ToolCallItem {
  id: string;
  type: "tool_call";
  tool: string;
  arguments: unknown;
  output?: string;
  error?: string;
  status: "in_progress" | "completed" | "failed";
}
/** hedge: which model, provider and profile serve a role, and why (`route.decided`). */
export interface RouteDecisionItem {
  id: string;
  type: "route_decision";
  role: string;
  model: string;
  provider: string;
  upstream_model: string;
  profile: string | null;
  reason: string;
}

export type ThreadItem =
  | AgentMessageItem
  | ReasoningItem
  | CommandExecutionItem
  | FileChangeItem
  | TodoListItem
  | ErrorItem
  | ToolCallItem
  | RouteDecisionItem
  | QaVerdictItem
  | ProfileSwitchItem
  | NoticeItem;

export interface TurnUsage {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

export type AgentEvent =
  | { type: "thread.started"; thread_id: string }
  | { type: "turn.started" }
  | { type: "item.started"; item: ThreadItem }
  | { type: "item.updated"; item: ThreadItem }
  | { type: "item.completed"; item: ThreadItem }
  | { type: "turn.completed"; usage: TurnUsage }
  | { type: "turn.failed"; error: { message: string } }
  | { type: "error"; message: string };

export function emptyTurnUsage(): TurnUsage {
  return {
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
  };
}

/** Adds one model call's usage to the turn's total (every field: the turn reports them all). */
export function addUsage(total: TurnUsage, usage: CanonicalUsage | undefined): void {
  if (!usage) return;
  total.input_tokens += usage.input_tokens;
  total.cached_input_tokens += usage.cached_input_tokens;
  total.output_tokens += usage.output_tokens;
  total.reasoning_output_tokens += usage.reasoning_tokens;
}
