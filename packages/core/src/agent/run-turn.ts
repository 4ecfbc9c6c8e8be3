import type { ContentPart } from "@hedge/gateway-client";
import { emptyTurnUsage, type AgentEvent } from "./events.js";
import { failureMessage } from "./failure-message.js";
import { phaseFailureMessage, runSteps, type StepSettings } from "./run-steps.js";

/** What the user asks in this turn. */
export interface TurnInput {
  prompt: string;
  /** Images to show the model with the prompt. */
  images?: ContentPart[];
}

/** Everything one single-model turn needs, passed narrowly (no config object). */
export interface TurnContext extends StepSettings {
  model: string;
  /** The role this turn's model calls are made for (routing and accounting). */
  role?: string;
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
          yield record({ type: "turn.failed", error: { message: phaseFailureMessage(outcome) } });
        }
        return;
      }
      yield record(next.value);
    }
  } catch (error) {
    yield record({
      type: "turn.failed",
      error: { message: failureMessage(error, context.signal) },
    });
  }
}
