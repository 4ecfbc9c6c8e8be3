import {
  HedgeError,
  type CanonicalError,
  type CanonicalEvent,
  type CanonicalMessage,
  type CanonicalRequest,
} from "@hedge/model-spec";
import type { z } from "zod";
import type { SseMessage } from "./sse.js";
import { newWireId } from "./ids.js";
import { isJsonObject, parseJsonObject, stringField, type JsonObject } from "./json.js";

/**
 * Turns an upstream SSE stream into canonical events. Stateful: one instance per response.
 * `end()` is called once when the upstream body ends, so truncated streams still terminate.
 */
export interface StreamDecoder {
  push(message: SseMessage): readonly CanonicalEvent[];
  end(): readonly CanonicalEvent[];
}

/**
 * Turns canonical events into SSE text in one wire's exact format, for the client.
 * Stateful: one instance per response. `end()` closes a stream that lacked `finish`/`error`.
 */
export interface StreamEncoder {
  encode(event: CanonicalEvent): string;
  end(): string;
}

/** The request body is not something the wire accepts; the client gets a 400. */
export class WireDecodeError extends HedgeError {
  override name = "WireDecodeError";
  readonly status = 400;
  readonly type = "invalid_request_error";

  constructor(message: string) {
    super("invalid_request", message);
  }
}

/** Shared empty result so chunks that yield nothing allocate nothing. */
export const NO_EVENTS: readonly CanonicalEvent[] = Object.freeze([]);

/** One text or reasoning delta, or `NO_EVENTS` when the upstream sent no text or empty text. */
export function textDeltaEvents(
  type: "text.delta" | "reasoning.delta",
  text: string | undefined,
): readonly CanonicalEvent[] {
  return text === undefined || text.length === 0 ? NO_EVENTS : [{ type, text }];
}

/**
 * `response.start` of an upstream object carrying `id` and `model`; a fresh id with the wire's
 * `idPrefix` when it has none.
 */
export function responseStartOf(
  upstream: JsonObject | undefined,
  idPrefix: string,
): Extract<CanonicalEvent, { type: "response.start" }> {
  return {
    type: "response.start",
    id: stringField(upstream, "id") ?? newWireId(idPrefix),
    model: stringField(upstream, "model") ?? "",
  };
}

/**
 * The error a stream gets when the upstream body ended before its terminal event; `type` is the
 * wire's own server-error type, `source` names who sent the stream (a provider) and `terminal`
 * the event it lacked (`[DONE]`, `message_stop`, …).
 */
export function truncatedStreamError(
  type: string,
  source?: string,
  terminal?: string,
): CanonicalError {
  const message =
    source === undefined
      ? "the upstream stream ended before it finished"
      : `the stream from ${source} ended without ${terminal ?? "its last event"}`;
  return { status: 502, type, message };
}

/**
 * The error a stream gets when an event breaks the wire format (its data is not the JSON object
 * the wire promises): the rest of the stream cannot be trusted, so the stream fails there.
 */
export function malformedStreamError(type: string, source = "the upstream"): CanonicalError {
  return {
    status: 502,
    type,
    message: `the stream from ${source} broke the wire format: an event's data is not a JSON object`,
  };
}

/**
 * An event's data as the JSON object every event of the three wires carries; `undefined` for
 * blank data (a keep-alive, skipped), `"malformed"` for anything else.
 */
export function streamPayload(data: string): JsonObject | "malformed" | undefined {
  // Nearly every event's data starts with its object: no trimmed copy is made for those.
  if (data.charCodeAt(0) !== 0x7b /* { */ && data.trim() === "") return undefined;
  return parseJsonObject(data) ?? "malformed";
}

/**
 * Validate a request body leniently: required fields must be valid, an optional field that
 * fails validation is removed and recorded in `dropped` instead of failing the request, and
 * top-level keys the wire does not map (outside `known` and `ignored`) are recorded too.
 */
export function parseLenient<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  fields: { required: readonly string[]; known: ReadonlySet<string>; ignored: ReadonlySet<string> },
  dropped: string[],
): z.infer<Schema> {
  if (!isJsonObject(body)) throw new WireDecodeError("the request body must be a JSON object");
  let candidate: JsonObject = body;
  for (const key of Object.keys(body)) {
    if (!fields.known.has(key) && !fields.ignored.has(key)) dropped.push(key);
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const result = schema.safeParse(candidate);
    if (result.success) return result.data;
    const invalidKeys = new Set<string>();
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      const where = issue.path.join(".");
      if (typeof key !== "string" || fields.required.includes(key)) {
        throw new WireDecodeError(`${where || "body"}: ${issue.message}`);
      }
      invalidKeys.add(key);
    }
    candidate = { ...candidate };
    for (const key of invalidKeys) {
      delete candidate[key];
      dropped.push(`${key} (invalid)`);
    }
  }
  throw new WireDecodeError("the request body could not be validated");
}

/**
 * The canonical request a wire decoder starts from, before its options are assigned. Top-level
 * instruction parts become `system`, separated by blank lines.
 */
export function newCanonicalRequest(
  parsed: { model: string; stream?: boolean | null | undefined },
  messages: CanonicalMessage[],
  systemParts: readonly string[],
  dropped: string[],
): CanonicalRequest {
  const request: CanonicalRequest = {
    model: parsed.model,
    messages,
    stream: parsed.stream ?? false,
    metadata: {},
    dropped,
  };
  if (systemParts.length > 0) request.system = systemParts.join("\n\n");
  return request;
}

/** Anthropic error `type` for a status, used when the canonical type is not an Anthropic one. */
export function anthropicErrorType(status: number | undefined, type: string): string {
  if (ANTHROPIC_ERROR_TYPES.has(type)) return type;
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 529:
    case 503:
      return "overloaded_error";
    default:
      return "api_error";
  }
}

const ANTHROPIC_ERROR_TYPES = new Set([
  "invalid_request_error",
  "authentication_error",
  "billing_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "timeout_error",
  "api_error",
  "overloaded_error",
]);

/** HTTP status an error `type` of any wire usually travels with. */
export function statusForErrorType(type: string): number | undefined {
  switch (type) {
    case "invalid_request_error":
      return 400;
    case "authentication_error":
      return 401;
    case "billing_error":
      return 402;
    case "permission_error":
      return 403;
    case "not_found_error":
      return 404;
    case "request_too_large":
      return 413;
    case "rate_limit_error":
    case "rate_limit_exceeded":
    case "insufficient_quota":
      return 429;
    case "overloaded_error":
      return 529;
    case "timeout_error":
      return 504;
    case "api_error":
    case "server_error":
      return 500;
    default:
      return undefined;
  }
}
