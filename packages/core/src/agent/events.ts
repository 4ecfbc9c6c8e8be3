/**
 * The thread's event stream, defined once with zod. Its Codex part has the shapes of
 * `codex exec --json`, so scripts and the official `@openai/codex-sdk` read hedge's output
 * unchanged; hedge-only information rides as extra item types a Codex consumer ignores, and the
 * hedge-only event types (inputs, approvals, streaming, role activity, usage) are for the TUI,
 * the daemon and the session file. `exec --json` prints only the Codex events
 * ({@link isCodexEvent}).
 */

import { z } from "zod";
import type { CanonicalUsage } from "@hedge/model-spec";
import { approvalAnswerSchema, approvalRequestSchema } from "../tools/approval-schema.js";
import { threadItemSchema } from "./items.js";

export const turnUsageSchema = z.object({
  input_tokens: z.number(),
  cached_input_tokens: z.number(),
  cache_write_input_tokens: z.number(),
  output_tokens: z.number(),
  reasoning_output_tokens: z.number(),
});
export type TurnUsage = z.infer<typeof turnUsageSchema>;

// Codex's `exec --json` events.
const threadStarted = z.object({ type: z.literal("thread.started"), thread_id: z.string() });
const turnStarted = z.object({ type: z.literal("turn.started") });
const itemStarted = z.object({ type: z.literal("item.started"), item: threadItemSchema });
const itemUpdated = z.object({ type: z.literal("item.updated"), item: threadItemSchema });
const itemCompleted = z.object({ type: z.literal("item.completed"), item: threadItemSchema });
const turnCompleted = z.object({ type: z.literal("turn.completed"), usage: turnUsageSchema });
const turnFailed = z.object({
  type: z.literal("turn.failed"),
  error: z.object({ message: z.string() }),
});
const streamError = z.object({ type: z.literal("error"), message: z.string() });

const codexEvents = [
  threadStarted,
  turnStarted,
  itemStarted,
  itemUpdated,
  itemCompleted,
  turnCompleted,
  turnFailed,
  streamError,
] as const;

/** The events of `codex exec --json`, exactly: what `exec --json` prints. */
export const codexEventSchema = z.discriminatedUnion("type", codexEvents);
export type CodexEvent = z.infer<typeof codexEventSchema>;

const roleSchema = z.string();

/** How an input reached the model: as (part of) a turn's first message, or mid-turn. */
export const deliveryViaSchema = z.enum(["turn_start", "tool_boundary"]);
export type DeliveryVia = z.infer<typeof deliveryViaSchema>;

// hedge-only events.
/** Inputs (a turn's prompt, steers, queued follow-ups) became a user message of the turn. */
const inputDelivered = z.object({
  type: z.literal("input.delivered"),
  ids: z.array(z.string()),
  via: deliveryViaSchema,
});
/** Steers that missed their turn (it ended first): they start the next turn instead. */
const inputDeferred = z.object({ type: z.literal("input.deferred"), ids: z.array(z.string()) });
/** The turn was interrupted; these undelivered inputs went back to the caller, in order. */
const turnInterrupted = z.object({
  type: z.literal("turn.interrupted"),
  restored_ids: z.array(z.string()),
});
/** A tool waits for the user: answer with `Thread.answerApproval(request_id, answer)`. */
const approvalRequested = z.object({
  type: z.literal("approval.requested"),
  request_id: z.string(),
  request: approvalRequestSchema,
});
/**
 * How an approval request was answered: by the user, by policy (exec), by an earlier
 * approve_session for the same action, or by an interrupt (denied).
 */
const approvalResolved = z.object({
  type: z.literal("approval.resolved"),
  request_id: z.string(),
  answer: approvalAnswerSchema,
  by: z.enum(["user", "policy", "session", "interrupt"]),
});
/** Streaming: a piece of an item's text as the model writes it (`item.completed` has it whole). */
const itemDelta = z.object({
  type: z.literal("item.delta"),
  item_id: z.string(),
  field: z.enum(["text", "reasoning"]),
  delta: z.string(),
});
/** What a role is doing now, for a live panel: thinking on a model, running a tool, checking, done. */
const roleActivity = z.object({
  type: z.literal("role.activity"),
  role: roleSchema,
  phase: z.enum(["model", "tool", "checking", "idle"]),
  model: z.string(),
  profile: z.string().nullable(),
  /** Epoch ms this phase started. */
  started_at: z.number(),
  /** One line: the command running, the files being checked. */
  action: z.exactOptional(z.string()),
});
/** The thread's usage changed (after each model call): read `Thread.state()` for the rest. */
const usageUpdated = z.object({
  type: z.literal("usage.updated"),
  role: roleSchema,
  /** This model call's tokens. */
  call: turnUsageSchema,
  /** Everything this thread's session used so far (earlier runs included). */
  total: turnUsageSchema,
  /** The share of the model's context window the conversation fills now, 0-100. */
  context_used_pct: z.number().nullable(),
});

const hedgeEvents = [
  inputDelivered,
  inputDeferred,
  turnInterrupted,
  approvalRequested,
  approvalResolved,
  itemDelta,
  roleActivity,
  usageUpdated,
] as const;

/** Everything a thread reports: Codex's events and hedge's own, one discriminated union. */
export const agentEventSchema = z.discriminatedUnion("type", [...codexEvents, ...hedgeEvents]);
export type AgentEvent = z.infer<typeof agentEventSchema>;
export type AgentEventType = AgentEvent["type"];

const CODEX_EVENT_TYPES: ReadonlySet<string> = new Set(
  codexEvents.map((schema) => schema.shape.type.value),
);

/** Whether `codex exec --json` has this event (the rest is hedge's and stays out of `--json`). */
export function isCodexEvent(event: AgentEvent): event is CodexEvent {
  return CODEX_EVENT_TYPES.has(event.type);
}

/**
 * Events that only describe the moment (streaming text, what a role does now, usage so far):
 * shown live, never written to the session (the completed items and the totals are).
 */
const TRANSIENT_EVENT_TYPES: ReadonlySet<AgentEventType> = new Set([
  "item.delta",
  "role.activity",
  "usage.updated",
]);

export function isTransientEvent(event: AgentEvent): boolean {
  return TRANSIENT_EVENT_TYPES.has(event.type);
}

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

/** Adds a turn's usage to a total (a session's, a thread's). */
export function addTurnUsage(total: TurnUsage, usage: TurnUsage): void {
  total.input_tokens += usage.input_tokens;
  total.cached_input_tokens += usage.cached_input_tokens;
  total.cache_write_input_tokens += usage.cache_write_input_tokens;
  total.output_tokens += usage.output_tokens;
  total.reasoning_output_tokens += usage.reasoning_output_tokens;
}
