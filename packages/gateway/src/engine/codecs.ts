import { emptyUsage, type CanonicalError } from "../canonical/events.js";
import { namespacedToolNames } from "../canonical/request.js";
import type { WireFormat } from "../providers/presets.js";
import { decodeChatRequest } from "../wire/chat/request-decode.js";
import { encodeChatRequest } from "../wire/chat/request-encode.js";
import {
  decodeChatResponse,
  encodeChatError,
  encodeChatErrorFrame,
  encodeChatResponse,
} from "../wire/chat/response.js";
import { ChatStreamDecoder } from "../wire/chat/stream-decoder.js";
import { ChatStreamEncoder } from "../wire/chat/stream-encoder.js";
import { decodeChatUsage } from "../wire/chat/usage.js";
import { objectField, parseJsonObject } from "../wire/json.js";
import {
  decodeMessagesError,
  encodeMessagesError,
  encodeMessagesErrorFrame,
} from "../wire/messages/error.js";
import { decodeMessagesRequest } from "../wire/messages/request-decode.js";
import { encodeMessagesRequest } from "../wire/messages/request-encode.js";
import { decodeMessagesResponse, encodeMessagesResponse } from "../wire/messages/response.js";
import { MessagesStreamDecoder } from "../wire/messages/stream-decoder.js";
import { MessagesStreamEncoder } from "../wire/messages/stream-encoder.js";
import { mergeMessagesUsage } from "../wire/messages/usage.js";
import { decodeOpenAIError, errorObjectOf } from "../wire/openai-error.js";
import { decodeResponsesRequest } from "../wire/responses/request-decode.js";
import { encodeResponsesRequest } from "../wire/responses/request-encode.js";
import {
  decodeResponsesResponse,
  encodeResponsesError,
  encodeResponsesErrorFrame,
  encodeResponsesResponse,
} from "../wire/responses/response.js";
import { ResponsesStreamDecoder } from "../wire/responses/stream-decoder.js";
import { ResponsesStreamEncoder } from "../wire/responses/stream-encoder.js";
import { decodeResponsesUsage } from "../wire/responses/usage.js";
import type { WireCodec } from "./wire-codec.js";

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
  createStreamDecoder: () => new ChatStreamDecoder(),
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
};

const responses: WireCodec = {
  decodeRequest: decodeResponsesRequest,
  encodeRequest: encodeResponsesRequest,
  createStreamDecoder: () => new ResponsesStreamDecoder(),
  createStreamEncoder: (request) =>
    new ResponsesStreamEncoder({
      ...(request
        ? { model: request.model, namespacedTools: namespacedToolNames(request.tools) }
        : {}),
    }),
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
};

const messages: WireCodec = {
  decodeRequest: decodeMessagesRequest,
  encodeRequest: encodeMessagesRequest,
  createStreamDecoder: () => new MessagesStreamDecoder(),
  createStreamEncoder: (request) => new MessagesStreamEncoder(request?.model ?? ""),
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
};

const CODECS: Record<WireFormat, WireCodec> = { chat, responses, messages };

export function codecFor(wire: WireFormat): WireCodec {
  return CODECS[wire];
}
