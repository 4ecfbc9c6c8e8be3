import { type CanonicalResponse, emptyUsage, type CanonicalEvent } from "@hedge/model-spec";
import { responseStartOf } from "../codec.js";
import { newWireId } from "../ids.js";
import {
  isJsonObject,
  objectField,
  parseArguments,
  stringField,
  type JsonObject,
} from "../json.js";
import { decodeMessagesError, encodeMessagesError } from "./error.js";
import { decodeMessagesStopReason, encodeMessagesStopReason } from "./finish.js";
import { encodeMessagesUsage, mergeMessagesUsage } from "./usage.js";

/** Canonical events of a non-streaming Anthropic `message` body (or an error body). */
export function decodeMessagesResponse(json: unknown): CanonicalEvent[] {
  const body = isJsonObject(json) ? json : {};
  if (body["type"] === "error") return [{ type: "error", error: decodeMessagesError(body) }];
  const events: CanonicalEvent[] = [responseStartOf(body, "msg_")];
  const content = body["content"];
  let toolIndex = 0;
  for (const block of Array.isArray(content) ? content : []) {
    if (!isJsonObject(block)) continue;
    const text = stringField(block, "text");
    switch (block["type"]) {
      case "text":
        if (text !== undefined && text.length > 0) events.push({ type: "text.delta", text });
        break;
      case "thinking": {
        const event: CanonicalEvent = {
          type: "reasoning.delta",
          text: stringField(block, "thinking") ?? "",
        };
        const signature = stringField(block, "signature");
        if (signature !== undefined) event.signature = signature;
        events.push(event);
        break;
      }
      case "tool_use": {
        const args = JSON.stringify(objectField(block, "input") ?? {});
        const index = toolIndex++;
        events.push(
          {
            type: "tool_call.start",
            index,
            id: stringField(block, "id") ?? newWireId("toolu_"),
            name: stringField(block, "name") ?? "",
          },
          { type: "tool_call.delta", index, arguments: args },
          { type: "tool_call.end", index, arguments: args },
        );
        break;
      }
      default:
        break;
    }
  }
  const usage = objectField(body, "usage");
  if (usage !== undefined)
    events.push({ type: "usage", usage: mergeMessagesUsage(emptyUsage(), usage) });
  events.push({
    type: "finish",
    reason: decodeMessagesStopReason(stringField(body, "stop_reason") ?? "end_turn"),
  });
  return events;
}

/** Non-streaming Anthropic `message` body for a client; an errored response becomes an error body. */
export function encodeMessagesResponse(response: CanonicalResponse, model: string): JsonObject {
  if (response.error !== undefined) {
    return encodeMessagesError(
      response.error.status ?? 500,
      response.error.type,
      response.error.message,
    );
  }
  const content: JsonObject[] = [];
  const reasoning = response.reasoning;
  if (reasoning !== undefined && (reasoning.text.length > 0 || reasoning.signature !== undefined)) {
    content.push({
      type: "thinking",
      thinking: reasoning.text,
      signature: reasoning.signature ?? "",
    });
  }
  if (response.text.length > 0) content.push({ type: "text", text: response.text });
  for (const call of response.tool_calls) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.name,
      input: parseArguments(call.arguments),
    });
  }
  return {
    id: response.id || newWireId("msg_"),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: encodeMessagesStopReason(response.finish_reason),
    stop_sequence: null,
    usage: encodeMessagesUsage(response.usage ?? emptyUsage()),
  };
}
