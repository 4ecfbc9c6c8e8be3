import type {
  CanonicalMessage,
  CanonicalRequest,
  CanonicalTool,
  CanonicalUsage,
  ContentPart,
  ResponseFormat,
} from "@hedge/model-spec";
import type { ModelStreamer } from "@hedge/gateway-client";
import type { SessionFile } from "../session/session-file.js";
import { compactIfNeeded, type CompactionSettings } from "./compaction.js";
import { addUsage, type AgentEvent, type TurnUsage } from "./events.js";
import { streamModel, type ModelStep } from "./model-step.js";
import type { RouteAnnouncer } from "./route-announcer.js";
import { reportWhile } from "./report-while.js";
import { RoleActivity } from "./role-activity.js";
import type { ToolCallOutcome, ToolHost } from "./tool-host.js";

/** The tool an executor calls to hand a problem back to the orchestrator. */
export const REQUEST_HELP_TOOL: CanonicalTool = {
  name: "request_help",
  description:
    "Ask the orchestrator to re-plan when you are stuck (repeated failures, a wrong plan, missing information). Say what you tried and what blocks you.",
  parameters: {
    type: "object",
    properties: { reason: { type: "string", description: "what you tried and what blocks you" } },
    required: ["reason"],
    additionalProperties: false,
  },
};

/**
 * What every run of model steps needs, passed narrowly: a role turn (`RoleTurnContext`) and each
 * phase of it (`PhaseContext`) share these.
 */
export interface StepSettings {
  client: ModelStreamer;
  /** The system prompt: base instructions plus project instructions (AGENTS.md). */
  instructions: string;
  tools: ToolHost;
  session: SessionFile;
  signal: AbortSignal;
  /** The turn fails when the model has not answered after this many model calls. */
  maxSteps: number;
  compaction: CompactionSettings;
  /** The final answer must match this JSON Schema (`--output-schema`). */
  outputSchema?: Record<string, unknown>;
  reasoningEffort?: "minimal" | "low" | "medium" | "high";
  /** Item ids continue across turns of a thread. */
  nextItemId: () => string;
  /**
   * Called at every step boundary (before each model call, so after the previous step's tool
   * results): delivers the steers waiting for the running turn into the session, in one
   * synchronous block, and returns the events saying so.
   */
  deliverSteers?: () => AgentEvent[];
  /** Told every model call's usage, with the role that made it. */
  onModelUsage?: (role: string, usage: CanonicalUsage) => void;
}

/** One phase of a turn: one role's model working the shared conversation with its tools. */
export interface PhaseContext extends StepSettings {
  model: string;
  role: string;
  /** Login profiles this role may use (a role's profile pool). */
  profiles?: readonly string[];
  turnId?: string;
  /** Why this role runs on this model now: the reason of its first route decision. */
  decisionReason: string;
  /** Hand back to the orchestrator after this many consecutive failed tool calls. */
  escalateAfter?: number;
  /** Offer the `request_help` tool (orchestrated turns). */
  allowHelpRequest?: boolean;
  /** The turn's route announcements (shared across phases and QA passes). */
  routes: RouteAnnouncer;
}

/** How a phase ended. */
export type PhaseOutcome =
  /** `itemId`: the id the answer's text streamed under (`item.delta`), for its agent_message. */
  | { status: "answered"; text: string; itemId?: string }
  | { status: "escalated"; reason: string }
  | { status: "failed"; message: string }
  | { status: "interrupted" };

/** The `turn.failed` message for a phase that ended without an answer. */
export function phaseFailureMessage(
  outcome: Exclude<PhaseOutcome, { status: "answered" }>,
): string {
  if (outcome.status === "failed") return outcome.message;
  if (outcome.status === "escalated") return outcome.reason;
  return "interrupted";
}

/**
 * Runs model calls and tools until the model answers without tools, asks for help or fails.
 * Events are yielded (the caller records them); the conversation goes into the session.
 */
export async function* runSteps(
  phase: PhaseContext,
  usage: TurnUsage,
): AsyncGenerator<AgentEvent, PhaseOutcome> {
  const { session } = phase;
  let consecutiveFailures = 0;
  const activity = new RoleActivity(phase.role, phase.model);
  for (let step = 0; step < phase.maxSteps; step += 1) {
    if (phase.signal.aborted) return { status: "interrupted" };
    yield* phase.deliverSteers?.() ?? [];
    const compacted = await compactIfNeeded(phase, usage);
    if (compacted) yield { type: "item.completed", item: compacted };

    // The text streams under the id its agent_message item gets, once the first piece arrives.
    let messageId: string | undefined;
    yield activity.set("model");
    let result: ModelStep;
    try {
      result = yield* reportWhile<AgentEvent, ModelStep>((report) =>
        streamModel(phase.client, buildRequest(phase, session.history()), phase.signal, {
          onRoute: (route) => {
            const items = phase.routes.announce({
              role: phase.role,
              model: route.model,
              route,
              reason: phase.decisionReason,
              movedReason: "the gateway moved this role to another route",
              pool: phase.profiles,
            });
            for (const item of items) report({ type: "item.completed", item });
            const routed = activity.routed(route.profile ?? null);
            if (routed) report(routed);
          },
          onText: (delta) => {
            messageId ??= phase.nextItemId();
            report({ type: "item.delta", item_id: messageId, field: "text", delta });
          },
        }),
      );
    } catch (error) {
      yield activity.set("idle");
      if (phase.signal.aborted) return { status: "interrupted" };
      throw error;
    }
    addUsage(usage, result.usage);
    if (result.usage) phase.onModelUsage?.(phase.role, result.usage);
    if (result.error) {
      yield activity.set("idle");
      return { status: "failed", message: result.error };
    }
    if (result.reasoning) {
      yield {
        type: "item.completed",
        item: { id: phase.nextItemId(), type: "reasoning", text: result.reasoning },
      };
    }
    session.appendMessage(assistantMessage(result));
    if (result.toolCalls.length === 0) {
      yield activity.set("idle");
      return { status: "answered", text: result.text, ...(messageId ? { itemId: messageId } : {}) };
    }
    if (result.text.trim()) {
      yield {
        type: "item.completed",
        item: { id: messageId ?? phase.nextItemId(), type: "agent_message", text: result.text },
      };
    }
    const results: ContentPart[] = [];
    let helpReason: string | undefined;
    for (const call of result.toolCalls) {
      if (call.name === REQUEST_HELP_TOOL.name && phase.allowHelpRequest) {
        helpReason = helpRequestReason(call.arguments);
        results.push({
          type: "tool_result",
          call_id: call.id,
          content: "handed to the orchestrator",
        });
        continue;
      }
      yield activity.set("tool", call.name);
      const outcome = yield* reportWhile<AgentEvent, ToolCallOutcome>((report) =>
        phase.tools.run(
          call,
          (stage, item) => {
            report({ type: `item.${stage}`, item });
            if (stage === "started" && item.type === "command_execution")
              report(activity.set("tool", `running \`${item.command}\``));
          },
          phase.nextItemId,
          phase.signal,
        ),
      );
      consecutiveFailures = outcome.isError ? consecutiveFailures + 1 : 0;
      results.push({
        type: "tool_result",
        call_id: call.id,
        content: outcome.content,
        ...(outcome.isError ? { is_error: true } : {}),
      });
      if (phase.signal.aborted) break;
    }
    session.appendMessage({ role: "tool", content: results });
    yield activity.set("idle");
    if (phase.signal.aborted) return { status: "interrupted" };
    if (helpReason !== undefined)
      return { status: "escalated", reason: `the executor asked for help: ${helpReason}` };
    if (phase.escalateAfter !== undefined && consecutiveFailures >= phase.escalateAfter) {
      return { status: "escalated", reason: `${consecutiveFailures} tool calls in a row failed` };
    }
  }
  return {
    status: "failed",
    message: `the turn stopped after ${phase.maxSteps} model calls without a final answer (agent.max_steps)`,
  };
}

function helpRequestReason(argumentsText: string): string {
  try {
    const parsed = JSON.parse(argumentsText) as { reason?: unknown };
    return typeof parsed.reason === "string" && parsed.reason.trim()
      ? parsed.reason
      : "no reason given";
  } catch {
    return "no reason given";
  }
}

function buildRequest(phase: PhaseContext, history: CanonicalMessage[]): CanonicalRequest {
  const responseFormat: ResponseFormat | undefined = phase.outputSchema
    ? { type: "json_schema", name: "final_answer", schema: phase.outputSchema, strict: false }
    : undefined;
  const tools = phase.allowHelpRequest
    ? [...phase.tools.specs(), REQUEST_HELP_TOOL]
    : phase.tools.specs();
  return {
    model: phase.model,
    system: phase.instructions,
    messages: history,
    tools,
    tool_choice: "auto",
    parallel_tool_calls: true,
    stream: true,
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...(phase.reasoningEffort ? { reasoning: { effort: phase.reasoningEffort } } : {}),
    metadata: {
      role: phase.role,
      session_id: phase.session.id,
      ...(phase.turnId ? { turn_id: phase.turnId } : {}),
      ...(phase.profiles ? { profiles: [...phase.profiles] } : {}),
    },
    dropped: [],
  };
}

function assistantMessage(result: ModelStep): CanonicalMessage {
  const content: ContentPart[] = [];
  if (result.reasoningPart) content.push(result.reasoningPart);
  if (result.text) content.push({ type: "text", text: result.text });
  for (const call of result.toolCalls) {
    content.push({ type: "tool_call", id: call.id, name: call.name, arguments: call.arguments });
  }
  return { role: "assistant", content };
}
