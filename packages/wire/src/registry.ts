import {
  type CanonicalResponse,
  type CanonicalError,
  type CanonicalEvent,
  type CanonicalUsage,
  type CanonicalRequest,
  emptyUsage,
  namespacedToolNames,
  type WireFormat,
} from "@hedge/model-spec";
import type { StreamDecoder, StreamEncoder } from "./codec.js";
import type { SseMessage } from "./sse.js";
import { decodeChatRequest } from "./chat/request-decode.js";
import { encodeChatRequest } from "./chat/request-encode.js";
import {
  decodeChatResponse,
  encodeChatError,
  encodeChatErrorFrame,
  encodeChatResponse,
} from "./chat/response.js";
import { ChatStreamDecoder } from "./chat/stream-decoder.js";
import { ChatStreamEncoder } from "./chat/stream-encoder.js";
import { decodeChatUsage } from "./chat/usage.js";
import {
  isJsonObject,
  objectField,
  parseJsonObject,
  stringField,
  type JsonObject,
} from "./json.js";
import {
  decodeMessagesError,
  encodeMessagesError,
  encodeMessagesErrorFrame,
} from "./messages/error.js";
import { decodeMessagesRequest } from "./messages/request-decode.js";
import { encodeMessagesRequest } from "./messages/request-encode.js";
import { decodeMessagesResponse, encodeMessagesResponse } from "./messages/response.js";
import { MessagesStreamDecoder } from "./messages/stream-decoder.js";
import { MessagesStreamEncoder } from "./messages/stream-encoder.js";
import { mergeMessagesUsage } from "./messages/usage.js";
import { decodeOpenAIError, errorObjectOf } from "./openai-error.js";
import { decodeResponsesRequest } from "./responses/request-decode.js";
import { encodeResponsesRequest } from "./responses/request-encode.js";
import {
  decodeResponsesResponse,
  encodeResponsesError,
  encodeResponsesErrorFrame,
  encodeResponsesResponse,
} from "./responses/response.js";
import {
  ResponsesStreamDecoder,
  decodeResponsesTerminal,
  streamError as responsesStreamError,
} from "./responses/stream-decoder.js";
import { ResponsesStreamEncoder } from "./responses/stream-encoder.js";
import { decodeResponsesUsage } from "./responses/usage.js";

/** Everything the gateway needs to speak one wire format, in both directions. */
export interface WireCodec {
  decodeRequest(body: unknown): CanonicalRequest;
  encodeRequest(request: CanonicalRequest, upstreamModel: string): JsonObject;
  /** A decoder for one upstream stream; `source` (a provider id) names the sender in errors. */
  createStreamDecoder(source?: string): StreamDecoder;
  /**
   * An encoder for one client stream. `request` is the client's decoded request (Chat's
   * `include_usage`, Responses' namespaced tools); `model` names the model to the client.
   */
  createStreamEncoder(request: CanonicalRequest | undefined, model?: string): StreamEncoder;
  decodeResponse(json: unknown): CanonicalEvent[];
  encodeResponse(response: CanonicalResponse, model: string): JsonObject;
  /** An error body in this wire's shape. */
  /** `code`: hedge's own stable error code, where the wire has a field for it (OpenAI `code`). */
  encodeError(status: number, type: string, message: string, code?: string): JsonObject;
  /** A mid-stream error frame in this wire's shape. */
  encodeErrorFrame(status: number, type: string, message: string): string;
  /** Reads an upstream error body of this wire. */
  decodeError(status: number, body: string): CanonicalError;
  /**
   * Pass-through tap: usage carried by one parsed payload (an SSE data object or a whole JSON
   * response), merged into what was seen before; undefined when it carries none.
   */
  tapUsage(previous: CanonicalUsage | undefined, payload: JsonObject): CanonicalUsage | undefined;
  /**
   * Pass-through tap of tool calls: a stream message can start one only when its data contains
   * `toolCallMark.text` and, when `event` is set, its SSE event is that (a cheap test, so other
   * messages are never parsed); `toolCallsIn` counts the calls a parsed one starts. A JSON body
   * holds tool calls only when it contains the text too.
   */
  toolCallMark: { event?: string; text: string };
  toolCallsIn(payload: JsonObject): number;
  /**
   * Pass-through tap of a stream's end: whether a message (its parsed data, when JSON) is the
   * wire's terminal event, and the error it carries when it is an error event. A stream that
   * closes before one was cut. `terminal` names the success terminal, for messages.
   */
  streamEnd(message: SseMessage, payload: JsonObject | undefined): StreamEnd | undefined;
  terminal: string;
}

/** A terminal stream event: a success end, or an error the upstream sent in the stream. */
export interface StreamEnd {
  error?: CanonicalError;
}

function decodeOpenAIErrorBody(status: number, body: string): CanonicalError {
  const parsed = parseJsonObject(body);
  if (!parsed)
    return {
      status,
      type: status === 429 ? "rate_limit_error" : "api_error",
      message: body.slice(0, 500) || `HTTP ${status}`,
    };
  return decodeOpenAIError(errorObjectOf(parsed), status);
}

const chat: WireCodec = {
  decodeRequest: decodeChatRequest,
  encodeRequest: encodeChatRequest,
  createStreamDecoder: (source) => new ChatStreamDecoder(source),
  createStreamEncoder: (request) =>
    new ChatStreamEncoder({ includeUsage: request?.include_usage === true }),
  decodeResponse: decodeChatResponse,
  encodeResponse: encodeChatResponse,
  encodeError: encodeChatError,
  encodeErrorFrame: encodeChatErrorFrame,
  decodeError: decodeOpenAIErrorBody,
  tapUsage: (_previous, payload) => {
    const usage = objectField(payload, "usage");
    return usage ? decodeChatUsage(usage) : undefined;
  },
  // Also matches `"finish_reason":"tool_calls"`, which counts none.
  toolCallMark: { text: '"tool_calls"' },
  toolCallsIn: (payload) => {
    // A call's first delta carries its id; the argument deltas after it do not.
    let count = 0;
    for (const choice of arrayOf(payload["choices"])) {
      const calls = isJsonObject(choice) ? objectField(choice, "delta")?.["tool_calls"] : undefined;
      for (const call of arrayOf(calls))
        if (isJsonObject(call) && typeof call["id"] === "string") count += 1;
    }
    return count;
  },
  streamEnd: (message, payload) => {
    if (message.data === "[DONE]") return {};
    if (message.event === "error" || isJsonObject(payload?.["error"])) {
      return { error: decodeOpenAIError(errorObjectOf(payload ?? {})) };
    }
    return undefined;
  },
  terminal: "[DONE]",
};

const responses: WireCodec = {
  decodeRequest: decodeResponsesRequest,
  encodeRequest: encodeResponsesRequest,
  createStreamDecoder: (source) => new ResponsesStreamDecoder(source),
  createStreamEncoder: (request, model) => {
    const named = model ?? request?.model;
    return new ResponsesStreamEncoder({
      ...(request ? { namespacedTools: namespacedToolNames(request.tools) } : {}),
      ...(named ? { model: named } : {}),
    });
  },
  decodeResponse: decodeResponsesResponse,
  encodeResponse: encodeResponsesResponse,
  encodeError: encodeResponsesError,
  encodeErrorFrame: (_status, type, message) => encodeResponsesErrorFrame(type, message, 0),
  decodeError: decodeOpenAIErrorBody,
  tapUsage: (_previous, payload) => {
    // Streaming: `response.completed` carries `response.usage`; a JSON body carries `usage`.
    const usage = objectField(objectField(payload, "response") ?? payload, "usage");
    return usage ? decodeResponsesUsage(usage) : undefined;
  },
  toolCallMark: { event: "response.output_item.added", text: '"function_call"' },
  toolCallsIn: (payload) =>
    stringField(objectField(payload, "item"), "type") === "function_call" ? 1 : 0,
  streamEnd: (message, payload) => {
    switch (stringField(payload, "type") ?? message.event) {
      case "response.completed":
      case "response.incomplete":
        return {};
      case "response.failed": {
        const failed = decodeResponsesTerminal(objectField(payload, "response"), false)[0];
        return failed?.type === "error" ? { error: failed.error } : {};
      }
      case "error":
        return { error: responsesStreamError(payload ?? {}) };
      default:
        return undefined;
    }
  },
  terminal: "response.completed",
};

const messages: WireCodec = {
  decodeRequest: decodeMessagesRequest,
  encodeRequest: encodeMessagesRequest,
  createStreamDecoder: (source) => new MessagesStreamDecoder(source),
  createStreamEncoder: (request, model) => new MessagesStreamEncoder(model ?? request?.model ?? ""),
  decodeResponse: decodeMessagesResponse,
  encodeResponse: encodeMessagesResponse,
  encodeError: encodeMessagesError,
  encodeErrorFrame: encodeMessagesErrorFrame,
  decodeError: (status, body) => {
    const parsed = parseJsonObject(body);
    const decoded = parsed
      ? decodeMessagesError(parsed)
      : { type: "api_error", message: body.slice(0, 500) || `HTTP ${status}` };
    return { ...decoded, status };
  },
  tapUsage: (previous, payload) => {
    // `message_start` nests usage in `message`; `message_delta` and JSON bodies carry it at top.
    const usage =
      objectField(objectField(payload, "message") ?? payload, "usage") ??
      objectField(payload, "usage");
    if (!usage) return undefined;
    return mergeMessagesUsage(previous ?? emptyUsage(), usage);
  },
  toolCallMark: { event: "content_block_start", text: '"tool_use"' },
  toolCallsIn: (payload) =>
    stringField(objectField(payload, "content_block"), "type") === "tool_use" ? 1 : 0,
  streamEnd: (message, payload) => {
    // The body's `type` repeats the event name; some proxies drop `event:`.
    switch (stringField(payload, "type") ?? message.event) {
      case "message_stop":
        return {};
      case "error":
        return { error: decodeMessagesError(payload ?? {}) };
      default:
        return undefined;
    }
  },
  terminal: "message_stop",
};

/** The codec of each wire format. */
export const WIRE_CODECS: Readonly<Record<WireFormat, WireCodec>> = { chat, responses, messages };

export function codecFor(wire: WireFormat): WireCodec {
  return WIRE_CODECS[wire];
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
