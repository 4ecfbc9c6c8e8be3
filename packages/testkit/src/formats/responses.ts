import { ids, unixSeconds } from "../ids.js";
import type { ReplyPlan } from "../plan.js";
import { splitArguments, splitText } from "../plan.js";
import { jsonFrame, type SseFrame } from "../sse.js";
import type { Rendering } from "./rendering.js";

type Item = Record<string, unknown>;

function requestedEncryptedReasoning(requestBody: Record<string, unknown>): boolean {
  const include = requestBody["include"];
  return Array.isArray(include) && include.includes("reasoning.encrypted_content");
}

function echo(requestBody: Record<string, unknown>, key: string, fallback: unknown): unknown {
  return requestBody[key] ?? fallback;
}

/** The Responses API: a `response` object, streamed as typed events with `sequence_number`. */
export function renderResponses(plan: ReplyPlan, requestBody: Record<string, unknown>): Rendering {
  const responseId = ids.response();
  const createdAt = unixSeconds();
  const incomplete =
    plan.stopReason === "max_tokens" || plan.stopReason === "content_filter"
      ? { reason: plan.stopReason === "max_tokens" ? "max_output_tokens" : "content_filter" }
      : null;

  const base = (status: string, output: Item[], usage: unknown, extra: Item = {}): Item => ({
    id: responseId,
    object: "response",
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: status === "incomplete" ? incomplete : null,
    instructions: echo(requestBody, "instructions", null),
    max_output_tokens: echo(requestBody, "max_output_tokens", null),
    model: plan.model,
    output,
    parallel_tool_calls: echo(requestBody, "parallel_tool_calls", true),
    previous_response_id: echo(requestBody, "previous_response_id", null),
    reasoning: echo(requestBody, "reasoning", { effort: null, summary: null }),
    store: echo(requestBody, "store", true),
    temperature: echo(requestBody, "temperature", 1),
    text: echo(requestBody, "text", { format: { type: "text" } }),
    tool_choice: echo(requestBody, "tool_choice", "auto"),
    tools: echo(requestBody, "tools", []),
    top_p: echo(requestBody, "top_p", 1),
    truncation: "disabled",
    usage,
    user: null,
    metadata: echo(requestBody, "metadata", {}),
    ...extra,
  });

  const usage = {
    input_tokens: plan.usage.input,
    input_tokens_details: { cached_tokens: plan.usage.cached },
    output_tokens: plan.usage.output,
    output_tokens_details: { reasoning_tokens: plan.usage.reasoning },
    total_tokens: plan.usage.input + plan.usage.output,
  };

  let sequence = 0;
  const frames: SseFrame[] = [];
  const emit = (type: string, payload: Item): void => {
    frames.push(jsonFrame({ type, ...payload, sequence_number: sequence }, type));
    sequence += 1;
  };

  const finalOutput: Item[] = [];
  emit("response.created", { response: base("in_progress", [], null) });
  emit("response.in_progress", { response: base("in_progress", [], null) });

  if (plan.reasoning !== undefined) {
    const item_id = ids.responseReasoning();
    const output_index = finalOutput.length;
    const text = plan.reasoning;
    const done: Item = {
      id: item_id,
      type: "reasoning",
      summary: [{ type: "summary_text", text }],
    };
    if (requestedEncryptedReasoning(requestBody))
      done["encrypted_content"] = ids.encryptedReasoning();
    emit("response.output_item.added", {
      output_index,
      item: { id: item_id, type: "reasoning", summary: [] },
    });
    const where = { item_id, output_index, summary_index: 0 };
    emit("response.reasoning_summary_part.added", {
      ...where,
      part: { type: "summary_text", text: "" },
    });
    for (const delta of splitText(text))
      emit("response.reasoning_summary_text.delta", { ...where, delta });
    emit("response.reasoning_summary_text.done", { ...where, text });
    emit("response.reasoning_summary_part.done", {
      ...where,
      part: { type: "summary_text", text },
    });
    emit("response.output_item.done", { output_index, item: done });
    finalOutput.push(done);
  }

  if (plan.text !== undefined) {
    const item_id = ids.responseMessage();
    const output_index = finalOutput.length;
    const text = plan.text;
    const part = (value: string): Item => ({
      type: "output_text",
      annotations: [],
      logprobs: [],
      text: value,
    });
    const item = (status: string, content: Item[]): Item => ({
      id: item_id,
      type: "message",
      status,
      content,
      role: "assistant",
    });
    const where = { item_id, output_index, content_index: 0 };
    emit("response.output_item.added", { output_index, item: item("in_progress", []) });
    emit("response.content_part.added", { ...where, part: part("") });
    for (const delta of splitText(text))
      emit("response.output_text.delta", { ...where, delta, logprobs: [] });
    emit("response.output_text.done", { ...where, text, logprobs: [] });
    emit("response.content_part.done", { ...where, part: part(text) });
    const done = item("completed", [part(text)]);
    emit("response.output_item.done", { output_index, item: done });
    finalOutput.push(done);
  }

  for (const call of plan.toolCalls) {
    const item_id = ids.responseFunctionCall();
    const output_index = finalOutput.length;
    const item = (status: string, args: string): Item => ({
      id: item_id,
      type: "function_call",
      status,
      arguments: args,
      call_id: call.id ?? ids.chatToolCall(),
      name: call.name,
    });
    const added = item("in_progress", "");
    emit("response.output_item.added", { output_index, item: added });
    for (const delta of splitArguments(call.argumentsJson)) {
      emit("response.function_call_arguments.delta", { item_id, output_index, delta });
    }
    emit("response.function_call_arguments.done", {
      item_id,
      output_index,
      name: call.name,
      arguments: call.argumentsJson,
    });
    const done = { ...added, status: "completed", arguments: call.argumentsJson };
    emit("response.output_item.done", { output_index, item: done });
    finalOutput.push(done);
  }

  const finalStatus = incomplete ? "incomplete" : "completed";
  const json = base(finalStatus, finalOutput, usage);
  emit(incomplete ? "response.incomplete" : "response.completed", { response: json });

  return {
    json,
    frames,
    streamError: (spec, position) => {
      const message = spec.message ?? "An error occurred while processing your request.";
      const code = spec.code ?? spec.type ?? "server_error";
      if (spec.event === "response.failed") {
        const failed = base("failed", [], null, { error: { code, message } });
        return [
          jsonFrame(
            { type: "response.failed", response: failed, sequence_number: position },
            "response.failed",
          ),
        ];
      }
      return [
        jsonFrame(
          { type: "error", code, message, param: null, sequence_number: position },
          "error",
        ),
      ];
    },
  };
}
