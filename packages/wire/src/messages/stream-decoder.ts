import { emptyUsage, type CanonicalEvent, type CanonicalUsage } from "@hedge/model-spec";
import {
  NO_EVENTS,
  malformedStreamError,
  responseStartOf,
  streamPayload,
  textDeltaEvents,
  truncatedStreamError,
  type StreamDecoder,
} from "../codec.js";
import { newWireId } from "../ids.js";
import { objectField, stringField, type JsonObject } from "../json.js";
import type { SseMessage } from "../sse.js";
import { decodeMessagesError } from "./error.js";
import { decodeMessagesStopReason } from "./finish.js";
import { mergeMessagesUsage } from "./usage.js";

interface ToolBlockState {
  toolIndex: number;
  arguments: string;
  /** The `input` of content_block_start, used when no input_json_delta follows. */
  initialInput: string;
}

/**
 * Anthropic Messages stream -> canonical events. Content block indexes count text and
 * thinking blocks too, so tool calls get their own dense index from 0; `input_json_delta`
 * fragments are forwarded and also buffered into the whole arguments of `tool_call.end`.
 * `finish` waits for `message_stop`: a stream cut before it fails, as does an event that is not
 * JSON; `source` names the sender in those errors.
 */
export class MessagesStreamDecoder implements StreamDecoder {
  private usage: CanonicalUsage = emptyUsage();
  private done = false;
  /** What `message_delta` with a stop reason ended: sent when `message_stop` confirms it. */
  private stopped: CanonicalEvent[] | undefined;
  private started = false;
  private toolCount = 0;
  /** Content block index -> tool state, only for tool_use blocks. */
  private readonly toolBlocks = new Map<number, ToolBlockState>();

  constructor(private readonly source?: string) {}

  push(message: SseMessage): readonly CanonicalEvent[] {
    if (this.done) return NO_EVENTS;
    const body = streamPayload(message.data);
    if (body === undefined) return NO_EVENTS;
    if (body === "malformed") {
      this.done = true;
      return [{ type: "error", error: malformedStreamError("api_error", this.source) }];
    }
    // The `type` field repeats the SSE event name; trust the body, some proxies drop `event:`.
    switch (stringField(body, "type") ?? message.event) {
      case "message_start":
        return this.start(objectField(body, "message"));
      case "content_block_start":
        return this.blockStart(body);
      case "content_block_delta":
        return this.blockDelta(body);
      case "content_block_stop":
        return this.blockStop(body);
      case "message_delta":
        return this.messageDelta(body);
      case "message_stop":
        if (this.stopped === undefined) return NO_EVENTS;
        this.done = true;
        return this.stopped;
      case "error":
        this.done = true;
        return [{ type: "error", error: decodeMessagesError(body) }];
      default:
        // ping
        return NO_EVENTS;
    }
  }

  end(): readonly CanonicalEvent[] {
    if (this.done) return NO_EVENTS;
    this.done = true;
    return [
      { type: "error", error: truncatedStreamError("api_error", this.source, "message_stop") },
    ];
  }

  private start(message: JsonObject | undefined): readonly CanonicalEvent[] {
    if (this.started) return NO_EVENTS;
    this.started = true;
    const usage = objectField(message, "usage");
    if (usage !== undefined) this.usage = mergeMessagesUsage(this.usage, usage);
    return [responseStartOf(message, "msg_")];
  }

  private blockStart(body: JsonObject): readonly CanonicalEvent[] {
    const block = objectField(body, "content_block");
    const blockIndex = body["index"];
    if (block === undefined || typeof blockIndex !== "number") return NO_EVENTS;
    switch (block["type"]) {
      case "tool_use": {
        const input = objectField(block, "input");
        const state: ToolBlockState = {
          toolIndex: this.toolCount++,
          arguments: "",
          initialInput:
            input === undefined || Object.keys(input).length === 0 ? "" : JSON.stringify(input),
        };
        this.toolBlocks.set(blockIndex, state);
        return [
          {
            type: "tool_call.start",
            index: state.toolIndex,
            id: stringField(block, "id") ?? newWireId("toolu_"),
            name: stringField(block, "name") ?? "",
          },
        ];
      }
      case "text":
        return textDeltaEvents("text.delta", stringField(block, "text"));
      case "thinking":
        return textDeltaEvents("reasoning.delta", stringField(block, "thinking"));
      default:
        return NO_EVENTS;
    }
  }

  private blockDelta(body: JsonObject): readonly CanonicalEvent[] {
    const delta = objectField(body, "delta");
    switch (delta?.["type"]) {
      case "text_delta":
        return textDeltaEvents("text.delta", stringField(delta, "text"));
      case "thinking_delta":
        return textDeltaEvents("reasoning.delta", stringField(delta, "thinking"));
      case "signature_delta": {
        const signature = stringField(delta, "signature");
        return signature === undefined
          ? NO_EVENTS
          : [{ type: "reasoning.delta", text: "", signature }];
      }
      case "input_json_delta": {
        const blockIndex = body["index"];
        const state = typeof blockIndex === "number" ? this.toolBlocks.get(blockIndex) : undefined;
        const fragment = stringField(delta, "partial_json");
        if (state === undefined || fragment === undefined || fragment.length === 0)
          return NO_EVENTS;
        state.arguments += fragment;
        return [{ type: "tool_call.delta", index: state.toolIndex, arguments: fragment }];
      }
      default:
        return NO_EVENTS;
    }
  }

  private blockStop(body: JsonObject): readonly CanonicalEvent[] {
    const blockIndex = body["index"];
    const state = typeof blockIndex === "number" ? this.toolBlocks.get(blockIndex) : undefined;
    if (state === undefined || typeof blockIndex !== "number") return NO_EVENTS;
    this.toolBlocks.delete(blockIndex);
    return [
      {
        type: "tool_call.end",
        index: state.toolIndex,
        arguments: state.arguments || state.initialInput || "{}",
      },
    ];
  }

  private messageDelta(body: JsonObject): readonly CanonicalEvent[] {
    const usage = objectField(body, "usage");
    if (usage !== undefined) this.usage = mergeMessagesUsage(this.usage, usage);
    const stopReason = stringField(objectField(body, "delta"), "stop_reason");
    if (stopReason === undefined || this.stopped !== undefined) {
      return [{ type: "usage", usage: this.usage }];
    }
    const events: CanonicalEvent[] = [];
    // A truncated upstream may stop without closing a tool block; close it with what arrived.
    for (const state of this.toolBlocks.values()) {
      events.push({
        type: "tool_call.end",
        index: state.toolIndex,
        arguments: state.arguments || state.initialInput || "{}",
      });
    }
    this.toolBlocks.clear();
    events.push(
      { type: "usage", usage: this.usage },
      { type: "finish", reason: decodeMessagesStopReason(stopReason) },
    );
    this.stopped = events;
    return NO_EVENTS;
  }
}
