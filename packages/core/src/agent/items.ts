/**
 * The items of a thread (what `item.started` / `item.updated` / `item.completed` carry): Codex's
 * `exec --json` item types, plus hedge's own (route decisions, profile switches, QA verdicts,
 * notices, other tools, asides) that a Codex consumer ignores. One zod source; the types come
 * from it.
 */

import { z } from "zod";

/** Optional fields are absent or valid, never `undefined` (the JSON has no `null` for them). */
const optional = z.exactOptional;

export const commandStatusSchema = z.enum(["in_progress", "completed", "failed", "declined"]);
export type CommandStatus = z.infer<typeof commandStatusSchema>;

export const agentMessageItemSchema = z.object({
  id: z.string(),
  type: z.literal("agent_message"),
  text: z.string(),
});
export type AgentMessageItem = z.infer<typeof agentMessageItemSchema>;

export const reasoningItemSchema = z.object({
  id: z.string(),
  type: z.literal("reasoning"),
  text: z.string(),
});
export type ReasoningItem = z.infer<typeof reasoningItemSchema>;

export const commandExecutionItemSchema = z.object({
  id: z.string(),
  type: z.literal("command_execution"),
  command: z.string(),
  aggregated_output: z.string(),
  exit_code: optional(z.number()),
  /** Wall time of the command (hedge's; Codex's schema has none). */
  duration_ms: optional(z.number()),
  status: commandStatusSchema,
});
export type CommandExecutionItem = z.infer<typeof commandExecutionItemSchema>;

export const fileChangeItemSchema = z.object({
  id: z.string(),
  type: z.literal("file_change"),
  changes: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(["add", "delete", "update"]),
      /** hedge's: the change as a unified diff, cut after 400 lines. */
      diff: optional(z.string()),
    }),
  ),
  status: z.enum(["completed", "failed"]),
});
export type FileChangeItem = z.infer<typeof fileChangeItemSchema>;

export const todoListItemSchema = z.object({
  id: z.string(),
  type: z.literal("todo_list"),
  items: z.array(z.object({ text: z.string(), completed: z.boolean() })),
});
export type TodoListItem = z.infer<typeof todoListItemSchema>;

export const errorItemSchema = z.object({
  id: z.string(),
  type: z.literal("error"),
  message: z.string(),
});
export type ErrorItem = z.infer<typeof errorItemSchema>;

/** hedge: the QA verifier's verdict on a turn (`pass`, `add_tasks`, `block`). */
export const qaVerdictItemSchema = z.object({
  id: z.string(),
  type: z.literal("qa_verdict"),
  verdict: z.enum(["pass", "add_tasks", "block"]),
  tasks: z.array(z.string()),
  reason: z.string(),
  /** 1-based QA round within the turn. */
  round: z.number(),
});
export type QaVerdictItem = z.infer<typeof qaVerdictItemSchema>;

/**
 * hedge: the usage heartbeat moved this thread's calls from one login profile to another
 * (`profile.switched`): the previous one neared its rate limit, answered 429, or is cooling down.
 */
export const profileSwitchItemSchema = z.object({
  id: z.string(),
  type: z.literal("profile_switch"),
  provider: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
});
export type ProfileSwitchItem = z.infer<typeof profileSwitchItemSchema>;

/** hedge: something the user should know that is not an error (e.g. context compaction). */
export const noticeItemSchema = z.object({
  id: z.string(),
  type: z.literal("notice"),
  message: z.string(),
});
export type NoticeItem = z.infer<typeof noticeItemSchema>;

/** hedge: any other tool (read_file, list_dir, grep, ...). */
export const toolCallItemSchema = z.object({
  id: z.string(),
  type: z.literal("tool_call"),
  tool: z.string(),
  arguments: z.unknown(),
  output: optional(z.string()),
  error: optional(z.string()),
  status: z.enum(["in_progress", "completed", "failed"]),
});
export type ToolCallItem = z.infer<typeof toolCallItemSchema>;

/**
 * A call of an MCP server's tool, exactly as `codex exec --json` reports one: `result` and
 * `error` are null (not absent) when unset. A result the server marked `isError` is `failed`
 * with `error.message` too, so a consumer needs one check.
 */
export const mcpToolCallItemSchema = z.object({
  id: z.string(),
  type: z.literal("mcp_tool_call"),
  server: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  result: z
    .object({
      content: z.array(z.record(z.string(), z.unknown())),
      structured_content: z.unknown(),
    })
    .nullable(),
  error: z.object({ message: z.string() }).nullable(),
  status: z.enum(["in_progress", "completed", "failed"]),
});
export type McpToolCallItem = z.infer<typeof mcpToolCallItemSchema>;

/** hedge: which model, provider and profile serve a role, and why (`route.decided`). */
export const routeDecisionItemSchema = z.object({
  id: z.string(),
  type: z.literal("route_decision"),
  role: z.string(),
  model: z.string(),
  provider: z.string(),
  upstream_model: z.string(),
  profile: z.string().nullable(),
  reason: z.string(),
});
export type RouteDecisionItem = z.infer<typeof routeDecisionItemSchema>;

/**
 * hedge: a side question (`ask`) answered on a fork of the conversation; never part of the
 * main history. Only `ask`'s own stream carries it.
 */
export const asideItemSchema = z.object({
  id: z.string(),
  type: z.literal("aside"),
  question: z.string(),
  text: z.string(),
  status: z.enum(["in_progress", "completed", "failed"]),
  /** The model that answered, and the route (same provider and profile as the conversation). */
  model: z.string(),
  provider: optional(z.string()),
  profile: optional(z.string().nullable()),
  /** Prompt tokens the provider served from its cache (the fork reuses the conversation's). */
  cached_input_tokens: optional(z.number()),
  error: optional(z.string()),
});
export type AsideItem = z.infer<typeof asideItemSchema>;

export const threadItemSchema = z.discriminatedUnion("type", [
  agentMessageItemSchema,
  reasoningItemSchema,
  commandExecutionItemSchema,
  fileChangeItemSchema,
  todoListItemSchema,
  errorItemSchema,
  toolCallItemSchema,
  mcpToolCallItemSchema,
  routeDecisionItemSchema,
  qaVerdictItemSchema,
  profileSwitchItemSchema,
  noticeItemSchema,
  asideItemSchema,
]);
export type ThreadItem = z.infer<typeof threadItemSchema>;
