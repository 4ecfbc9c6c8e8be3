import type { CanonicalResponse } from "../canonical/collect.js";
import type { CanonicalEvent } from "../canonical/events.js";
import { namespacedToolNames, type CanonicalRequest } from "../canonical/request.js";
import type { WireFormat } from "../providers/presets.js";
import { decodeChatRequest } from "./chat/request-decode.js";
import { encodeChatRequest } from "./chat/request-encode.js";
import { decodeChatResponse, encodeChatErrorFrame, encodeChatResponse } from "./chat/response.js";
import { ChatStreamDecoder } from "./chat/stream-decoder.js";
import { ChatStreamEncoder } from "./chat/stream-encoder.js";
import type { StreamDecoder, StreamEncoder } from "./codec.js";
import type { JsonObject } from "./json.js";
import { encodeMessagesError, encodeMessagesErrorFrame } from "./messages/error.js";
import { decodeMessagesRequest } from "./messages/request-decode.js";
import { encodeMessagesRequest } from "./messages/request-encode.js";
import { decodeMessagesResponse, encodeMessagesResponse } from "./messages/response.js";
import { MessagesStreamDecoder } from "./messages/stream-decoder.js";
import { MessagesStreamEncoder } from "./messages/stream-encoder.js";
import { encodeOpenAIError } from "./openai-error.js";
import { decodeResponsesRequest } from "./responses/request-decode.js";
import { encodeResponsesRequest } from "./responses/request-encode.js";
import {
  decodeResponsesResponse,
  encodeResponsesErrorFrame,
  encodeResponsesResponse,
} from "./responses/response.js";
import { ResponsesStreamDecoder } from "./responses/stream-decoder.js";
import { ResponsesStreamEncoder } from "./responses/stream-encoder.js";

/** Everything the gateway needs to speak one wire format, in both directions. */
export interface WireCodec {
  /** A client's request body -> canonical (throws `WireDecodeError`). */
  decodeRequest(body: unknown): CanonicalRequest;
  /** Canonical -> the body sent upstream. */
  encodeRequest(request: CanonicalRequest, upstreamModel: string): JsonObject;
  /** A decoder for one upstream stream. */
  createStreamDecoder(): StreamDecoder;
  /** An encoder for one client stream; `request` is the client's decoded request. */
  createStreamEncoder(request: CanonicalRequest, model: string): StreamEncoder;
  /** A non-streaming upstream body -> canonical events. */
  decodeResponse(json: unknown): CanonicalEvent[];
  /** A collected response -> the non-streaming client body. */
  encodeResponse(response: CanonicalResponse, model: string): JsonObject;
  /** An HTTP error body in this wire's shape. */
  encodeError(status: number, type: string, message: string): JsonObject;
  /** A mid-stream error frame (after a 200) in this wire's shape. */
  encodeErrorFrame(status: number, type: string, message: string): string;
}

/** The codec of each wire format. */
export const WIRE_CODECS: Readonly<Record<WireFormat, WireCodec>> = {
  chat: {
    decodeRequest: decodeChatRequest,
    encodeRequest: encodeChatRequest,
    createStreamDecoder: () => new ChatStreamDecoder(),
    createStreamEncoder: (request) =>
      new ChatStreamEncoder({ includeUsage: request.include_usage ?? false }),
    decodeResponse: decodeChatResponse,
    encodeResponse: encodeChatResponse,
    encodeError: encodeOpenAIError,
    encodeErrorFrame: encodeChatErrorFrame,
  },
  responses: {
    decodeRequest: decodeResponsesRequest,
    encodeRequest: encodeResponsesRequest,
    createStreamDecoder: () => new ResponsesStreamDecoder(),
    createStreamEncoder: (request, model) =>
      new ResponsesStreamEncoder({ model, namespacedTools: namespacedToolNames(request.tools) }),
    decodeResponse: decodeResponsesResponse,
    encodeResponse: encodeResponsesResponse,
    encodeError: encodeOpenAIError,
    encodeErrorFrame: (_status, type, message) => encodeResponsesErrorFrame(type, message, 0),
  },
  messages: {
    decodeRequest: decodeMessagesRequest,
    encodeRequest: encodeMessagesRequest,
    createStreamDecoder: () => new MessagesStreamDecoder(),
    createStreamEncoder: (_request, model) => new MessagesStreamEncoder(model),
    decodeResponse: decodeMessagesResponse,
    encodeResponse: encodeMessagesResponse,
    encodeError: encodeMessagesError,
    encodeErrorFrame: encodeMessagesErrorFrame,
  },
};
