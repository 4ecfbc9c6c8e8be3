import { type CanonicalError, type CanonicalEvent, NAMESPACE_SEPARATOR } from "@hedge/model-spec";
import {
  NO_EVENTS,
  malformedStreamError,
  responseStartOf,
  statusForErrorType,
  streamPayload,
  textDeltaEvents,
  truncatedStreamError,
  type StreamDecoder,
} from "../codec.js";
import { newWireId } from "../ids.js";
import { numberField, objectField, stringField, type JsonObject } from "../json.js";
import { decodeOpenAIError } from "../openai-error.js";
import type { SseMessage } from "../sse.js";
import { decodeResponsesUsage } from "./usage.js";

interface FunctionCallState {
  index: number;
  arguments: string;
}

/**
 * Responses stream -> canonical events. Function calls are keyed by `output_index` (and
 * `item_id` as a fallback) and numbered densely from 0 whatever items precede them. An event
 * that is not JSON fails the stream, as does an end without `response.completed` (or
 * `incomplete` / `failed` / `error`); `source` names the sender in those errors.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private done = false;
  private started = false;
  private readonly callsByOutputIndex = new Map<number, FunctionCallState>();
  private readonly callsByItemId = new Map<string, FunctionCallState>();
  private callCount = 0;

  constructor(private readonly source?: string) {}

  push(message: SseMessage): readonly CanonicalEvent[] {
    if (this.done) return NO_EVENTS;
    const event = streamPayload(message.data);
    if (event === undefined) return NO_EVENTS;
    if (event === "malformed") {
      this.done = true;
      return [{ type: "error", error: malformedStreamError("server_error", this.source) }];
    }
    const type = stringField(event, "type") ?? message.event;
    switch (type) {
      case "response.created":
      case "response.in_progress":
        return this.start(objectField(event, "response"));
      case "response.output_text.delta":
      case "response.refusal.delta":
        return textDeltaEvents("text.delta", stringField(event, "delta"));
      case "response.reasoning_summary_text.delta":
      case "response.reasoning_text.delta":
        return textDeltaEvents("reasoning.delta", stringField(event, "delta"));
      case "response.output_item.added":
        return this.itemAdded(event);
      case "response.function_call_arguments.delta":
        return this.argumentsDelta(event);
      case "response.output_item.done":
        return this.itemDone(event);
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        return this.finish(objectField(event, "response"));
      case "error":
        this.done = true;
        return [{ type: "error", error: streamError(event) }];
      default:
        return NO_EVENTS;
    }
  }

  end(): readonly CanonicalEvent[] {
    if (this.done) return NO_EVENTS;
    this.done = true;
    return [
      {
        type: "error",
        error: truncatedStreamError("server_error", this.source, "response.completed"),
      },
    ];
  }

  private start(response: JsonObject | undefined): readonly CanonicalEvent[] {
    if (this.started) return NO_EVENTS;
    this.started = true;
    return [responseStartOf(response, "resp_")];
  }

  private itemAdded(event: JsonObject): readonly CanonicalEvent[] {
    const item = objectField(event, "item");
    if (item?.["type"] !== "function_call") return NO_EVENTS;
    const state: FunctionCallState = { index: this.callCount++, arguments: "" };
    const outputIndex = numberField(event, "output_index");
    const itemId = stringField(item, "id");
    if (outputIndex !== undefined) this.callsByOutputIndex.set(outputIndex, state);
    if (itemId !== undefined) this.callsByItemId.set(itemId, state);
    const namespace = stringField(item, "namespace");
    const name = stringField(item, "name") ?? "";
    return [
      {
        type: "tool_call.start",
        index: state.index,
        id: stringField(item, "call_id") ?? itemId ?? newWireId("call_"),
        name: namespace === undefined ? name : namespace + NAMESPACE_SEPARATOR + name,
      },
    ];
  }

  private callOf(event: JsonObject): FunctionCallState | undefined {
    const outputIndex = numberField(event, "output_index");
    const byIndex =
      outputIndex === undefined ? undefined : this.callsByOutputIndex.get(outputIndex);
    const itemId = stringField(event, "item_id") ?? stringField(objectField(event, "item"), "id");
    return byIndex ?? (itemId === undefined ? undefined : this.callsByItemId.get(itemId));
  }

  private argumentsDelta(event: JsonObject): readonly CanonicalEvent[] {
    const state = this.callOf(event);
    const fragment = stringField(event, "delta");
    if (state === undefined || fragment === undefined || fragment.length === 0) return NO_EVENTS;
    state.arguments += fragment;
    return [{ type: "tool_call.delta", index: state.index, arguments: fragment }];
  }

  private itemDone(event: JsonObject): readonly CanonicalEvent[] {
    const item = objectField(event, "item");
    if (item?.["type"] === "reasoning") {
      const encrypted = stringField(item, "encrypted_content");
      return encrypted === undefined
        ? NO_EVENTS
        : [{ type: "reasoning.delta", text: "", encrypted_content: encrypted }];
    }
    if (item?.["type"] !== "function_call") return NO_EVENTS;
    const state = this.callOf(event);
    if (state === undefined) return NO_EVENTS;
    const outputIndex = numberField(event, "output_index");
    if (outputIndex !== undefined) this.callsByOutputIndex.delete(outputIndex);
    const itemId = stringField(item, "id");
    if (itemId !== undefined) this.callsByItemId.delete(itemId);
    const args = stringField(item, "arguments") ?? state.arguments;
    return [{ type: "tool_call.end", index: state.index, arguments: args || "{}" }];
  }

  private finish(response: JsonObject | undefined): readonly CanonicalEvent[] {
    this.done = true;
    const events: CanonicalEvent[] = [];
    if (!this.started) events.push(...this.start(response));
    if (stringField(response, "status") !== "failed") {
      // Calls the upstream never closed are closed with the arguments that arrived.
      for (const state of new Set([
        ...this.callsByOutputIndex.values(),
        ...this.callsByItemId.values(),
      ])) {
        events.push({
          type: "tool_call.end",
          index: state.index,
          arguments: state.arguments || "{}",
        });
      }
    }
    for (const event of decodeResponsesTerminal(response, this.callCount > 0)) events.push(event);
    return events;
  }
}

/**
 * Usage and finish (or error) of a finished Responses `response` object: `incomplete` with
 * `max_output_tokens` is `length`, `failed` is an error, completed with calls is `tool_calls`.
 */
export function decodeResponsesTerminal(
  response: JsonObject | undefined,
  hasToolCalls: boolean,
): CanonicalEvent[] {
  const status = stringField(response, "status");
  if (status === "failed") {
    const error = objectField(response, "error");
    const type = stringField(error, "code") ?? "server_error";
    const message = stringField(error, "message") ?? "the response failed";
    return [{ type: "error", error: { status: statusForErrorType(type) ?? 500, type, message } }];
  }
  const events: CanonicalEvent[] = [];
  const usage = objectField(response, "usage");
  if (usage !== undefined) events.push({ type: "usage", usage: decodeResponsesUsage(usage) });
  if (status === "incomplete") {
    const reason = stringField(objectField(response, "incomplete_details"), "reason");
    events.push({
      type: "finish",
      reason: reason === "content_filter" ? "content_filter" : "length",
    });
  } else events.push({ type: "finish", reason: hasToolCalls ? "tool_calls" : "stop" });
  return events;
}

/** Responses `error` events carry `code` and `message` at the top level (`type` is "error"). */
export function streamError(event: JsonObject): CanonicalError {
  const nested = objectField(event, "error");
  if (nested !== undefined) return decodeOpenAIError(nested);
  const type = stringField(event, "code") ?? "server_error";
  const message = stringField(event, "message") ?? "the upstream reported an error";
  return { status: statusForErrorType(type) ?? 500, type, message };
}
