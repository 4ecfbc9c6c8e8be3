import {
  type CanonicalResponse,
  type CanonicalEvent,
  NAMESPACE_SEPARATOR,
} from "@hedge/model-spec";
import { responseStartOf } from "../codec.js";
import { newWireId } from "../ids.js";
import { isJsonObject, stringField, type JsonObject } from "../json.js";
import { decodeOpenAIError, encodeOpenAIError } from "../openai-error.js";
import { reasoningEncryptedContent } from "./carried-thinking.js";
import { decodeResponsesTerminal } from "./stream-decoder.js";
import { responseObject } from "./response-object.js";

/** Canonical events of a non-streaming Responses `response` body (or an error body). */
export function decodeResponsesResponse(json: unknown): CanonicalEvent[] {
  const body = isJsonObject(json) ? json : {};
  if (isJsonObject(body["error"]) && body["object"] !== "response") {
    return [{ type: "error", error: decodeOpenAIError(body["error"]) }];
  }
  const events: CanonicalEvent[] = [responseStartOf(body, "resp_")];
  const output = body["output"];
  let toolIndex = 0;
  for (const item of Array.isArray(output) ? output : []) {
    if (!isJsonObject(item)) continue;
    if (item["type"] === "message") {
      for (const part of arrayOf(item["content"])) {
        const text = stringField(part, "text") ?? stringField(part, "refusal");
        if (text !== undefined && text.length > 0) events.push({ type: "text.delta", text });
      }
    } else if (item["type"] === "reasoning") {
      const text = arrayOf(item["summary"])
        .map((part) => stringField(part, "text") ?? "")
        .join("\n\n");
      const event: CanonicalEvent = { type: "reasoning.delta", text };
      const encrypted = stringField(item, "encrypted_content");
      if (encrypted !== undefined) event.encrypted_content = encrypted;
      events.push(event);
    } else if (item["type"] === "function_call") {
      const namespace = stringField(item, "namespace");
      const name = stringField(item, "name") ?? "";
      const args = stringField(item, "arguments") || "{}";
      const index = toolIndex++;
      events.push(
        {
          type: "tool_call.start",
          index,
          id: stringField(item, "call_id") ?? newWireId("call_"),
          name: namespace === undefined ? name : namespace + NAMESPACE_SEPARATOR + name,
        },
        { type: "tool_call.delta", index, arguments: args },
        { type: "tool_call.end", index, arguments: args },
      );
    }
  }
  for (const event of decodeResponsesTerminal(body, toolIndex > 0)) events.push(event);
  return events;
}

/** Non-streaming Responses `response` body for a client; an errored response becomes an error body. */
export function encodeResponsesResponse(response: CanonicalResponse, model: string): JsonObject {
  if (response.error !== undefined) {
    return encodeOpenAIError(
      response.error.status ?? 500,
      response.error.type,
      response.error.message,
    );
  }
  const output: JsonObject[] = [];
  const reasoning = response.reasoning;
  if (reasoning !== undefined) {
    const item: JsonObject = {
      id: newWireId("rs_"),
      type: "reasoning",
      summary: reasoning.text.length > 0 ? [{ type: "summary_text", text: reasoning.text }] : [],
    };
    const encrypted = reasoningEncryptedContent({
      text: reasoning.text,
      encrypted: reasoning.encrypted_content,
      signature: reasoning.signature,
    });
    if (encrypted !== undefined) item["encrypted_content"] = encrypted;
    output.push(item);
  }
  if (response.text.length > 0) {
    output.push({
      id: newWireId("msg_"),
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: response.text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of response.tool_calls) {
    output.push({
      id: newWireId("fc_"),
      type: "function_call",
      status: "completed",
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
    });
  }
  const fields = {
    id: response.id || newWireId("resp_"),
    model,
    createdAt: Math.floor(Date.now() / 1000),
    reason: response.finish_reason,
    output,
    usage: response.usage,
  };
  return responseObject(fields);
}

/** Responses error body (the OpenAI shape). */
export const encodeResponsesError = encodeOpenAIError;

/** Mid-stream Responses error frame (`event: error`). */
export function encodeResponsesErrorFrame(
  type: string,
  message: string,
  sequenceNumber: number,
): string {
  const data = { type: "error", code: type, message, param: null, sequence_number: sequenceNumber };
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
}

function arrayOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
