import type { ContentPart, ModelClient } from "@hedge/gateway-client";
import type { SessionFile } from "../session/session-file.js";
import type { CompactionSettings } from "./compaction.js";
import { emptyTurnUsage, type AgentEvent } from "./events.js";
import { runSteps } from "./run-steps.js";
import type { ToolHost } from "./tool-host.js";

/** What the user asks in this turn. */
export interface TurnInput {
  prompt: string;
  /** Images to show the model with the prompt. */
  images?: ContentPart[];
}

/** Everything one single-model turn needs, passed narrowly (no config object). */
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
 * One turn with one model: send the conversation, stream the answer, run the tools it calls and
 * feed the results back, until a final message, an error, an abort or the step limit. Every event
 * is also appended to the session. The role pipeline (`runRoleTurn`) builds on the same steps.
 */
export async function* runTurn(input: TurnInput, context: TurnContext): AsyncGenerator<AgentEvent> {
  const { session } = context;
  const usage = emptyTurnUsage();
  const record = (event: AgentEvent): AgentEvent => {
    session.appendEvent(event);
    return event;
  };
  yield record({ type: "turn.started" });
  session.appendMessage({
    role: "user",
    content: [{ type: "text", text: input.prompt }, ...(input.images ?? [])],
  });
  try {
    const steps = runSteps(
      {
        ...context,
        role: context.role ?? "executor",
        decisionReason: "configured model for this role",
        routesSeen: new Set(),
      },
      usage,
    );
    for (;;) {
      const next = await steps.next();
      if (next.done) {
        const outcome = next.value;
        if (outcome.status === "answered") {
          yield record({
            type: "item.completed",
            item: { id: context.nextItemId(), type: "agent_message", text: outcome.text },
          });
          yield record({ type: "turn.completed", usage });
        } else {
          const message =
            outcome.status === "failed"
              ? outcome.message
              : outcome.status === "interrupted"
                ? "interrupted"
                : outcome.reason;
          yield record({ type: "turn.failed", error: { message } });
        }
        return;
      }
      yield record(next.value);
    }
  } catch (error) {
    const message = context.signal.aborted
      ? "interrupted"
      : error instanceof Error
        ? error.message
        : String(error);
    yield record({ type: "turn.failed", error: { message } });
  }
}
