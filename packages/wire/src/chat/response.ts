import type { CanonicalResponse, CanonicalEvent } from "@hedge/model-spec";
import { responseStartOf } from "../codec.js";
import { newWireId } from "../ids.js";
import { isJsonObject, objectField, stringField, type JsonObject } from "../json.js";
import { decodeOpenAIError, encodeOpenAIError } from "../openai-error.js";
import { decodeChatFinishReason, encodeChatFinishReason } from "./finish.js";
import { decodeChatUsage, encodeChatUsage } from "./usage.js";

/** Canonical events of a non-streaming `chat.completion` body (or an error body). */
export function decodeChatResponse(json: unknown): CanonicalEvent[] {
  const body = isJsonObject(json) ? json : {};
  if (isJsonObject(body["error"]))
    return [{ type: "error", error: decodeOpenAIError(body["error"]) }];
  const events: CanonicalEvent[] = [responseStartOf(body, "chatcmpl-")];
  const choices = body["choices"];
  const choice = Array.isArray(choices) && isJsonObject(choices[0]) ? choices[0] : undefined;
  const message = objectField(choice, "message");
  const reasoning = stringField(message, "reasoning_content") ?? stringField(message, "reasoning");
  if (reasoning !== undefined && reasoning.length > 0)
    events.push({ type: "reasoning.delta", text: reasoning });
  const text = stringField(message, "content") ?? stringField(message, "refusal");
  if (text !== undefined && text.length > 0) events.push({ type: "text.delta", text });
  const toolCalls = message?.["tool_calls"];
  let index = 0;
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) {
      if (!isJsonObject(call)) continue;
      const fn = objectField(call, "function");
      const args = stringField(fn, "arguments") ?? "{}";
      events.push(
        {
          type: "tool_call.start",
          index,
          id: stringField(call, "id") ?? newWireId("call_"),
          name: stringField(fn, "name") ?? "",
        },
        { type: "tool_call.delta", index, arguments: args },
        { type: "tool_call.end", index, arguments: args },
      );
      index++;
    }
  }
  const usage = objectField(body, "usage");
  if (usage !== undefined) events.push({ type: "usage", usage: decodeChatUsage(usage) });
  const reason = decodeChatFinishReason(stringField(choice, "finish_reason") ?? "stop");
  events.push({ type: "finish", reason: reason === "stop" && index > 0 ? "tool_calls" : reason });
  return events;
}

/** Non-streaming `chat.completion` body for a client; an errored response becomes an error body. */
export function encodeChatResponse(response: CanonicalResponse, model: string): JsonObject {
  if (response.error !== undefined) {
    return encodeOpenAIError(
      response.error.status ?? 500,
      response.error.type,
      response.error.message,
    );
  }
  const message: JsonObject = {
    role: "assistant",
    content: response.text.length > 0 || response.tool_calls.length === 0 ? response.text : null,
    refusal: null,
  };
  if (response.reasoning !== undefined && response.reasoning.text.length > 0) {
    message["reasoning_content"] = response.reasoning.text;
  }
  if (response.tool_calls.length > 0) {
    message["tool_calls"] = response.tool_calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  const body: JsonObject = {
    id: response.id || newWireId("chatcmpl-"),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: encodeChatFinishReason(response.finish_reason),
      },
    ],
  };
  if (response.usage !== undefined) body["usage"] = encodeChatUsage(response.usage);
  return body;
}

/** Chat Completions error body. */
export const encodeChatError = encodeOpenAIError;

/** Mid-stream Chat error frame (what OpenAI sends after a 200 when a stream fails). */
export function encodeChatErrorFrame(status: number, type: string, message: string): string {
  return `data: ${JSON.stringify(encodeOpenAIError(status, type, message))}\n\n`;
}
