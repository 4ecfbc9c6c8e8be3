import type { CanonicalEvent, FinishReason } from "@hedge/model-spec";
import {
  NO_EVENTS,
  malformedStreamError,
  responseStartOf,
  streamPayload,
  truncatedStreamError,
  type StreamDecoder,
} from "../codec.js";
import { newWireId } from "../ids.js";
import { isJsonObject, numberField, objectField, stringField, type JsonObject } from "../json.js";
import { decodeOpenAIError, errorObjectOf } from "../openai-error.js";
import type { SseMessage } from "../sse.js";
import { decodeChatFinishReason } from "./finish.js";
import { decodeChatUsage } from "./usage.js";

interface ToolCallState {
  index: number;
  id: string;
  arguments: string;
  open: boolean;
}

/**
 * Chat Completions chunk stream -> canonical events. Holds `finish` back until `[DONE]` (the
 * usage chunk comes after the finish_reason chunk, with `choices: []` or `null`), so usage
 * precedes finish as the canonical order requires and a stream cut before `[DONE]` fails. A
 * chunk that is not JSON fails the stream: what follows it cannot be trusted. `source` names
 * the sender (a provider) in those errors.
 */
export class ChatStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private pendingFinish: FinishReason | undefined;
  private readonly toolCalls: ToolCallState[] = [];
  /** Upstream tool index -> canonical call; some servers number calls sparsely. */
  private readonly toolCallsByUpstreamIndex = new Map<number, ToolCallState>();

  constructor(private readonly source?: string) {}

  push(message: SseMessage): readonly CanonicalEvent[] {
    if (this.done) return NO_EVENTS;
    if (message.data === "[DONE]") return this.finish([]);
    const chunk = streamPayload(message.data);
    if (chunk === undefined) return NO_EVENTS;
    if (chunk === "malformed") {
      this.done = true;
      return [{ type: "error", error: malformedStreamError("api_error", this.source) }];
    }
    const events: CanonicalEvent[] = [];
    if (message.event === "error" || isJsonObject(chunk["error"])) {
      this.done = true;
      events.push({ type: "error", error: decodeOpenAIError(errorObjectOf(chunk)) });
      return events;
    }
    if (!this.started) {
      this.started = true;
      events.push(responseStartOf(chunk, "chatcmpl-"));
    }
    const choices = chunk["choices"];
    const choice = Array.isArray(choices) && isJsonObject(choices[0]) ? choices[0] : undefined;
    if (choice !== undefined) this.decodeChoice(choice, events);
    const usage = objectField(chunk, "usage");
    if (usage !== undefined) events.push({ type: "usage", usage: decodeChatUsage(usage) });
    return events;
  }

  end(): readonly CanonicalEvent[] {
    if (this.done) return NO_EVENTS;
    this.done = true;
    return [{ type: "error", error: truncatedStreamError("api_error", this.source, "[DONE]") }];
  }

  private decodeChoice(choice: JsonObject, events: CanonicalEvent[]): void {
    const delta = objectField(choice, "delta");
    if (delta !== undefined) {
      // DeepSeek/Qwen/vLLM say `reasoning_content`; OpenRouter and Ollama say `reasoning`.
      const reasoning = stringField(delta, "reasoning_content") ?? stringField(delta, "reasoning");
      if (reasoning !== undefined && reasoning.length > 0) {
        events.push({ type: "reasoning.delta", text: reasoning });
      }
      const text = stringField(delta, "content");
      if (text !== undefined && text.length > 0) events.push({ type: "text.delta", text });
      const toolCalls = delta["tool_calls"];
      if (Array.isArray(toolCalls)) {
        for (let position = 0; position < toolCalls.length; position++) {
          const call: unknown = toolCalls[position];
          if (isJsonObject(call)) this.decodeToolCall(call, position, events);
        }
      }
    }
    const finishReason = stringField(choice, "finish_reason");
    if (finishReason !== undefined) {
      this.closeToolCalls(events);
      const reason = decodeChatFinishReason(finishReason);
      // Some servers (Ollama) end tool calls with `stop`.
      this.pendingFinish = reason === "stop" && this.toolCalls.length > 0 ? "tool_calls" : reason;
    }
  }

  private decodeToolCall(call: JsonObject, position: number, events: CanonicalEvent[]): void {
    const upstreamIndex = numberField(call, "index") ?? position;
    const id = stringField(call, "id");
    const fn = objectField(call, "function");
    let state = this.toolCallsByUpstreamIndex.get(upstreamIndex);
    // A new id at a used index is a new call (servers that send every call at index 0).
    if (state !== undefined && id !== undefined && id.length > 0 && id !== state.id) {
      this.closeCall(state, events);
      state = undefined;
    }
    if (state === undefined) {
      state = {
        index: this.toolCalls.length,
        id: id || newWireId("call_"),
        arguments: "",
        open: true,
      };
      this.toolCalls.push(state);
      this.toolCallsByUpstreamIndex.set(upstreamIndex, state);
      events.push({
        type: "tool_call.start",
        index: state.index,
        id: state.id,
        name: stringField(fn, "name") ?? "",
      });
    }
    const fragment = stringField(fn, "arguments");
    if (fragment !== undefined && fragment.length > 0) {
      state.arguments += fragment;
      events.push({ type: "tool_call.delta", index: state.index, arguments: fragment });
    }
  }

  private closeToolCalls(events: CanonicalEvent[]): void {
    for (const state of this.toolCalls) this.closeCall(state, events);
  }

  private closeCall(state: ToolCallState, events: CanonicalEvent[]): void {
    if (!state.open) return;
    state.open = false;
    events.push({ type: "tool_call.end", index: state.index, arguments: state.arguments || "{}" });
  }

  private finish(events: CanonicalEvent[]): readonly CanonicalEvent[] {
    this.done = true;
    this.closeToolCalls(events);
    events.push({ type: "finish", reason: this.pendingFinish ?? "stop" });
    return events;
  }
}
