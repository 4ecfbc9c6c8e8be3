import type { EvalTask } from "../tasks/task-schema.js";
import { FEEDBACK_PREFIX, taskPrompt } from "../run/attempt.js";
import { compileScript, type CompiledScript, type ScriptedStep } from "./compile.js";

/** The parts of a scripted-upstream request the eval model reads (testkit's `ScriptedRequest`). */
export interface EvalModelRequest {
  lastUserText: string;
  conversation: ReadonlyArray<{ role: string; text?: string }>;
}

/** A reply in the scripted upstream's shape (testkit's `ScriptReply`, the fields used here). */
export interface EvalModelReply {
  text?: string;
  /** Arguments as JSON text, as the wire carries them. */
  toolCalls?: { name: string; arguments: string }[];
  usage: { inputTokens: number; outputTokens: number };
}

/**
 * The CI "model" of an eval run: a stateless function of the request, so parallel attempts,
 * several samples of one task and a resumed run all get the same behaviour. The task is the one
 * whose prompt opens the conversation; the step is the number of model replies since the last
 * user message; after a `hedge-eval: tests failed` message the `after_feedback` steps play.
 */
export function evalResponder(
  tasks: readonly EvalTask[],
  toolset: "default" | "js" = "default",
): (request: EvalModelRequest) => EvalModelReply | undefined {
  const scripts = new Map<string, CompiledScript>();
  for (const task of tasks)
    if (task.scriptedFile) scripts.set(taskPrompt(task), compileScript(task, toolset));
  return (request) => {
    // The task's prompt is one of the user messages (context such as AGENTS.md may come first).
    const users = request.conversation.filter((entry) => entry.role === "user");
    const script = [...scripts.entries()].find(([prompt]) =>
      users.some((entry) => entry.text?.includes(prompt)),
    )?.[1];
    if (!script) return undefined;
    const lastUser = request.conversation.map((entry) => entry.role).lastIndexOf("user");
    const step = request.conversation
      .slice(lastUser + 1)
      .filter((entry) => entry.role === "assistant").length;
    const steps = request.lastUserText.startsWith(FEEDBACK_PREFIX)
      ? script.afterFeedback
      : script.attempt;
    return toReply(steps[step] ?? { text: "Done." }, request);
  };
}

/** Which task a request belongs to (by its opening prompt), for tests that count requests. */
export function taskOfRequest(
  tasks: readonly EvalTask[],
  request: EvalModelRequest,
): string | undefined {
  const users = request.conversation.filter((entry) => entry.role === "user");
  return tasks.find((task) => users.some((entry) => entry.text?.includes(taskPrompt(task))))?.id;
}

function toReply(step: ScriptedStep, request: EvalModelRequest): EvalModelReply {
  // Usage that grows with the conversation, like a real model's, so costs are not all equal.
  const inputTokens =
    200 +
    Math.round(request.conversation.reduce((sum, entry) => sum + (entry.text?.length ?? 0), 0) / 4);
  if ("text" in step)
    return {
      text: step.text,
      usage: { inputTokens, outputTokens: Math.ceil(step.text.length / 4) + 5 },
    };
  const outputTokens = 10 + Math.ceil(JSON.stringify(step.toolCalls).length / 4);
  return {
    toolCalls: step.toolCalls.map((call) => ({
      name: call.name,
      arguments: JSON.stringify(call.arguments),
    })),
    usage: { inputTokens, outputTokens },
  };
}
