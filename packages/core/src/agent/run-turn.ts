import type {
  CanonicalMessage,
  CanonicalRequest,
  ContentPart,
  ModelClient,
  ResponseFormat,
} from "@hedge/gateway-client";
import type { SessionFile } from "../session/session-file.js";
import { compactIfNeeded, type CompactionSettings } from "./compaction.js";
import { emptyTurnUsage, type AgentEvent, type ThreadItem, type TurnUsage } from "./events.js";
import { streamModel, type ModelStep } from "./model-step.js";
import type { ToolHost } from "./tool-host.js";

/** What the user asks in this turn. */
export interface TurnInput {
  prompt: string;
  /** Images as data URLs or base64 parts to show the model with the prompt. */
  images?: ContentPart[];
}

/** Everything one turn needs, passed narrowly (no config object). */
export interface TurnContext {
  client: ModelClient;
  model: string;
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
  /** The role this turn's model calls are made for (routing and accounting). */
  role?: string;
  /** Item ids continue across turns of a thread. */
  nextItemId: () => string;
}

/**
 * One turn of the agent: send the conversation to the model, stream its answer, run the tools
 * it calls and feed the results back, until it answers without tools (the final message), an
 * error, an abort or the step limit. Every event is also appended to the session.
 */
export async function* runTurn(input: TurnInput, context: TurnContext): AsyncGenerator<AgentEvent> {
  const { session } = context;
  const emit = (event: AgentEvent): AgentEvent => {
    session.appendEvent(event);
    return event;
  };
  const usage = emptyTurnUsage();
  yield emit({ type: "turn.started" });
  session.appendMessage({
    role: "user",
    content: [{ type: "text", text: input.prompt }, ...(input.images ?? [])],
  });
  const routesSeen = new Set<string>();
  try {
    for (let step = 0; step < context.maxSteps; step += 1) {
      if (context.signal.aborted) throw new TurnInterrupted();
      const compacted = await compactIfNeeded(context, usage);
      if (compacted) yield emit({ type: "item.completed", item: compacted });

      const request = buildRequest(context, session.history());
      const pending: AgentEvent[] = [];
      const result: ModelStep = await streamModel(context.client, request, context.signal, {
        onRoute: (route) => {
          const key = `${route.provider}/${route.upstreamModel}/${route.profile ?? ""}`;
          if (routesSeen.has(key)) return;
          routesSeen.add(key);
          const item: ThreadItem = {
            id: context.nextItemId(),
            type: "route_decision",
            role: context.role ?? "executor",
            model: route.model,
            provider: route.provider,
            upstream_model: route.upstreamModel,
            profile: route.profile ?? null,
            reason: step === 0 ? "configured model for this role" : "route changed between steps",
          };
          pending.push({ type: "item.completed", item });
        },
      });
      for (const event of pending) yield emit(event);
      addUsage(usage, result);
      if (result.error) {
        yield emit({ type: "turn.failed", error: { message: result.error } });
        return;
      }
      if (result.reasoning) {
        yield emit({
          type: "item.completed",
          item: { id: context.nextItemId(), type: "reasoning", text: result.reasoning },
        });
      }
      session.appendMessage(assistantMessage(result));
      if (result.toolCalls.length === 0) {
        yield emit({
          type: "item.completed",
          item: { id: context.nextItemId(), type: "agent_message", text: result.text },
        });
        yield emit({ type: "turn.completed", usage });
        return;
      }
      if (result.text.trim()) {
        yield emit({
          type: "item.completed",
          item: { id: context.nextItemId(), type: "agent_message", text: result.text },
        });
      }
      const results: ContentPart[] = [];
      for (const call of result.toolCalls) {
        const reports: AgentEvent[] = [];
        const outcome = await context.tools.run(
          call,
          (phase, item) => reports.push({ type: `item.${phase}`, item }),
          context.nextItemId,
          context.signal,
        );
        for (const event of reports) yield emit(event);
        results.push({
          type: "tool_result",
          call_id: call.id,
          content: outcome.content,
          ...(outcome.isError ? { is_error: true } : {}),
        });
        if (context.signal.aborted) break;
      }
      session.appendMessage({ role: "tool", content: results });
    }
    yield emit({
      type: "turn.failed",
      error: {
        message: `the turn stopped after ${context.maxSteps} model calls without a final answer (agent.max_steps)`,
      },
    });
  } catch (error) {
    if (error instanceof TurnInterrupted || context.signal.aborted) {
      yield emit({ type: "turn.failed", error: { message: "interrupted" } });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    yield emit({ type: "turn.failed", error: { message } });
  }
}

class TurnInterrupted extends Error {
  override name = "TurnInterrupted";
}

function buildRequest(context: TurnContext, history: CanonicalMessage[]): CanonicalRequest {
  const responseFormat: ResponseFormat | undefined = context.outputSchema
    ? { type: "json_schema", name: "final_answer", schema: context.outputSchema, strict: false }
    : undefined;
  return {
    model: context.model,
    system: context.instructions,
    messages: history,
    tools: context.tools.specs(),
    tool_choice: "auto",
    parallel_tool_calls: true,
    stream: true,
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...(context.reasoningEffort ? { reasoning: { effort: context.reasoningEffort } } : {}),
    metadata: { role: context.role ?? "executor", session_id: context.session.id },
    dropped: [],
  };
}

function assistantMessage(result: ModelStep): CanonicalMessage {
  const content: ContentPart[] = [];
  if (result.reasoningPart) content.push(result.reasoningPart);
  if (result.text) content.push({ type: "text", text: result.text });
  for (const call of result.toolCalls)
    content.push({ type: "tool_call", id: call.id, name: call.name, arguments: call.arguments });
  return { role: "assistant", content };
}

function addUsage(total: TurnUsage, step: ModelStep): void {
  if (!step.usage) return;
  total.input_tokens += step.usage.input_tokens;
  total.cached_input_tokens += step.usage.cached_input_tokens;
  total.output_tokens += step.usage.output_tokens;
  total.reasoning_output_tokens += step.usage.reasoning_tokens;
}
