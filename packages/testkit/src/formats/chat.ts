import { ids, unixSeconds } from "../ids.js";
import type { ReplyPlan } from "../plan.js";
import { splitArguments, splitText } from "../plan.js";
import { openAiErrorBody } from "../provider-errors.js";
import type { StopReason } from "../script.js";
import { jsonFrame, type SseFrame } from "../sse.js";
import type { Rendering } from "./rendering.js";

const finishReasons: Record<StopReason, string> = {
  end_turn: "stop",
  max_tokens: "length",
  tool_use: "tool_calls",
  content_filter: "content_filter",
};

function usageOf(plan: ReplyPlan): Record<string, unknown> {
  return {
    prompt_tokens: plan.usage.input,
    completion_tokens: plan.usage.output,
    total_tokens: plan.usage.input + plan.usage.output,
    prompt_tokens_details: { cached_tokens: plan.usage.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: plan.usage.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function wantsUsage(requestBody: Record<string, unknown>): boolean {
  const options = requestBody["stream_options"];
  return typeof options === "object" && options !== null && "include_usage" in options
    ? (options as { include_usage?: unknown }).include_usage === true
    : false;
}

/**
 * Chat Completions. Reasoning text, which OpenAI does not return on this API, is sent as
 * `reasoning_content` the way OpenAI-compatible servers (DeepSeek, Qwen, vLLM) do.
 */
export function renderChat(plan: ReplyPlan, requestBody: Record<string, unknown>): Rendering {
  const id = ids.chatCompletion();
  const created = unixSeconds();
  const fingerprint = ids.systemFingerprint();
  const toolCalls = plan.toolCalls.map((call) => ({
    id: call.id ?? ids.chatToolCall(),
    type: "function" as const,
    function: { name: call.name, arguments: call.argumentsJson },
  }));
  const finishReason = finishReasons[plan.stopReason];

  const message: Record<string, unknown> = {
    role: "assistant",
    content: plan.text ?? null,
    refusal: null,
    annotations: [],
  };
  if (plan.reasoning !== undefined) message["reasoning_content"] = plan.reasoning;
  if (toolCalls.length > 0) message["tool_calls"] = toolCalls;

  const json = {
    id,
    object: "chat.completion",
    created,
    model: plan.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: usageOf(plan),
    service_tier: "default",
    system_fingerprint: fingerprint,
  };

  const includeUsage = wantsUsage(requestBody);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): SseFrame =>
    jsonFrame({
      id,
      object: "chat.completion.chunk",
      created,
      model: plan.model,
      service_tier: "default",
      system_fingerprint: fingerprint,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });

  const frames: SseFrame[] = [
    chunk({ role: "assistant", content: plan.text === undefined ? null : "", refusal: null }),
  ];
  for (const piece of splitText(plan.reasoning ?? ""))
    frames.push(chunk({ reasoning_content: piece }));
  for (const piece of splitText(plan.text ?? "")) frames.push(chunk({ content: piece }));
  toolCalls.forEach((call, index) => {
    frames.push(
      chunk({
        tool_calls: [
          {
            index,
            id: call.id,
            type: "function",
            function: { name: call.function.name, arguments: "" },
          },
        ],
      }),
    );
    for (const piece of splitArguments(call.function.arguments)) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  frames.push(chunk({}, finishReason));
  if (includeUsage) {
    frames.push(
      jsonFrame({
        id,
        object: "chat.completion.chunk",
        created,
        model: plan.model,
        service_tier: "default",
        system_fingerprint: fingerprint,
        choices: [],
        usage: usageOf(plan),
      }),
    );
  }
  frames.push({ data: "[DONE]" });

  return {
    json,
    frames,
    streamError: (spec) => [
      jsonFrame(
        openAiErrorBody(500, {
          message: spec.message ?? "The server had an error while processing your request.",
          type: spec.type ?? "server_error",
          ...(spec.code === undefined ? {} : { code: spec.code }),
        }),
      ),
    ],
  };
}
