// The three wire formats (Chat Completions, Responses, Anthropic Messages): requests, responses
// and streams translated to and from the canonical types of @hedge/model-spec. Pure translation
// (zod and node builtins), shared by the gateway and the remote model client.

export { codecFor, type WireCodec, type StreamEnd } from "./registry.js";
export {
  WireDecodeError,
  malformedStreamError,
  truncatedStreamError,
  streamPayload,
  type StreamDecoder,
  type StreamEncoder,
} from "./codec.js";
export { SseParser, formatSseFrame, type SseMessage } from "./sse.js";
export { isJsonObject, parseJsonObject, type JsonObject } from "./json.js";
export { decodeMessagesRequest } from "./messages/request-decode.js";
