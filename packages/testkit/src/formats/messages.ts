import { ids } from "../ids.js";
import type { ReplyPlan } from "../plan.js";
import { splitArguments, splitText } from "../plan.js";
import { anthropicErrorBody } from "../provider-errors.js";
import type { StopReason } from "../script.js";
import { jsonFrame, type SseFrame } from "../sse.js";
import type { Rendering } from "./rendering.js";

const stopReasons: Record<StopReason, string> = {
  end_turn: "end_turn",
  max_tokens: "max_tokens",
  tool_use: "tool_use",
  content_filter: "refusal",
};

type Block = Record<string, unknown>;

/** The Anthropic Messages API: a `message` object, streamed as `message_start` … `message_stop`. */
export function renderMessages(plan: ReplyPlan): Rendering {
  const id = ids.anthropicMessage();
  const stopReason = stopReasons[plan.stopReason];
  // Anthropic counts cached and cache-written tokens apart from `input_tokens`.
  const usage = {
    input_tokens: Math.max(0, plan.usage.input - plan.usage.cached - plan.usage.cacheCreation),
    cache_creation_input_tokens: plan.usage.cacheCreation,
    cache_read_input_tokens: plan.usage.cached,
    output_tokens: plan.usage.output,
  };

  const blocks: { start: Block; deltas: Block[]; done: Block }[] = [];
  if (plan.reasoning !== undefined) {
    const signature = plan.reasoningSignature ?? ids.thinkingSignature();
    blocks.push({
      start: { type: "thinking", thinking: "", signature: "" },
      deltas: [
        ...splitText(plan.reasoning).map((thinking) => ({ type: "thinking_delta", thinking })),
        { type: "signature_delta", signature },
      ],
      done: { type: "thinking", thinking: plan.reasoning, signature },
    });
  }
  if (plan.text !== undefined) {
    blocks.push({
      start: { type: "text", text: "" },
      deltas: splitText(plan.text).map((text) => ({ type: "text_delta", text })),
      done: { type: "text", text: plan.text },
    });
  }
  for (const call of plan.toolCalls) {
    const toolId = call.id ?? ids.anthropicToolUse();
    blocks.push({
      start: { type: "tool_use", id: toolId, name: call.name, input: {} },
      deltas: splitArguments(call.argumentsJson).map((partial_json) => ({
        type: "input_json_delta",
        partial_json,
      })),
      done: { type: "tool_use", id: toolId, name: call.name, input: call.input },
    });
  }

  const message = (content: Block[], stop: string | null, messageUsage: Block): Block => ({
    id,
    type: "message",
    role: "assistant",
    model: plan.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: messageUsage,
  });

  const frames: SseFrame[] = [];
  const emit = (type: string, payload: Block): void => {
    frames.push(jsonFrame({ type, ...payload }, type));
  };
  // Output tokens start at 1 in `message_start`, as the API reports them before generation.
  emit("message_start", { message: message([], null, { ...usage, output_tokens: 1 }) });
  emit("ping", {});
  blocks.forEach((block, index) => {
    emit("content_block_start", { index, content_block: block.start });
    for (const delta of block.deltas) emit("content_block_delta", { index, delta });
    emit("content_block_stop", { index });
  });
  emit("message_delta", { delta: { stop_reason: stopReason, stop_sequence: null }, usage });
  emit("message_stop", {});

  return {
    json: message(
      blocks.map((block) => block.done),
      stopReason,
      usage,
    ),
    frames,
    streamError: (spec) => [
      jsonFrame(
        anthropicErrorBody(529, {
          message: spec.message ?? "Overloaded",
          type: spec.type ?? "overloaded_error",
        }),
        "error",
      ),
    ],
  };
}
