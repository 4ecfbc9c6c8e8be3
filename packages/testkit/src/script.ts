import { readFile } from "node:fs/promises";
import {
  ScriptValidationError,
  arrayOf,
  boolean,
  integer,
  literal,
  object,
  optional,
  record,
  string,
  union,
  unknownJson,
} from "./validate.js";

/** The three inbound wire formats the scripted upstream speaks. */
export type Endpoint = "chat" | "responses" | "messages";

/** Provider-neutral stop reason; each format maps it to its own vocabulary. */
export type StopReason = "end_turn" | "max_tokens" | "tool_use" | "content_filter";

/** A JSON value, so scripts stay serialisable. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A function call in a reply: arguments as an object, or a raw string sent verbatim (may be invalid JSON on purpose). */
export interface ScriptToolCall {
  name: string;
  arguments: { [key: string]: JsonValue } | string;
  /** Fixed id; otherwise one in the provider's style (`call_…`, `toolu_…`). */
  id?: string;
}

/**
 * Token counts. `inputTokens` is the whole prompt including cached tokens (OpenAI convention);
 * for Anthropic the uncached remainder goes into `input_tokens`. `outputTokens` includes reasoning.
 * Omitted counts are estimated at roughly four characters a token.
 */
export interface ScriptUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  cacheCreationTokens?: number;
  reasoningTokens?: number;
}

/** Conditions a request must meet for the reply to be used; omitted fields match anything. */
export interface ScriptMatch {
  model?: string;
  endpoint?: Endpoint;
  /** Substring of the text of the last user message. */
  lastUserMessageIncludes?: string;
}

/** An error in the provider's own shape (OpenAI `{error:{…}}`, Anthropic `{type:"error",error:{…}}`). */
export interface ScriptErrorSpec {
  message: string;
  /** Defaults to the provider's type for the status, e.g. `rate_limit_error`. */
  type?: string;
  code?: string;
  param?: string;
}

/** An error event sent after a 200 and some chunks, then the stream ends. */
export interface ScriptStreamError {
  afterChunks: number;
  message?: string;
  type?: string;
  code?: string;
  /** Responses only: an `error` event (default) or a `response.failed` event. */
  event?: "error" | "response.failed";
}

/** One scripted reply: content, usage, headers and faults. */
export interface ScriptReply {
  match?: ScriptMatch;
  /** Serve this reply for every matching request instead of once. */
  repeat?: boolean;
  /** Model named in the reply; defaults to the requested model. */
  model?: string;
  text?: string;
  reasoning?: string;
  /** Anthropic thinking signature; generated when omitted. */
  reasoningSignature?: string;
  toolCalls?: ScriptToolCall[];
  usage?: ScriptUsage;
  /** Defaults to `tool_use` when there are tool calls, else `end_turn`. */
  stopReason?: StopReason;
  /** Extra response headers, e.g. rate-limit headers or `retry-after`. */
  headers?: Record<string, string>;
  /** HTTP status; a status >= 400 answers with `body` or an error built from `error`. */
  status?: number;
  error?: ScriptErrorSpec;
  /** Raw body (string verbatim, anything else as JSON) replacing the generated one. */
  body?: JsonValue;
  /** Delay before the first byte. */
  latencyMs?: number;
  /** Delay between SSE chunks. */
  chunkIntervalMs?: number;
  /** Destroy the socket after this many SSE chunks (non-streaming: before any byte). */
  disconnectAfterChunks?: number;
  /** Send a data line of invalid JSON before the chunk at this 0-based position. */
  malformedChunkAt?: number;
  streamError?: ScriptStreamError;
}

/** A script: replies served in order, each taken by the first request it matches. */
export interface Script {
  /** Ids listed by `GET /v1/models`; defaults to the models the replies name. */
  models?: string[];
  replies: ScriptReply[];
}

const endpoint = union<Endpoint>([literal("chat"), literal("responses"), literal("messages")]);
const stopReason = union<StopReason>([
  literal("end_turn"),
  literal("max_tokens"),
  literal("tool_use"),
  literal("content_filter"),
]);
const count = integer({ min: 0 });

const toolCall = object<ScriptToolCall>({
  name: string(),
  arguments: union<ScriptToolCall["arguments"]>([string(), record(unknownJson<JsonValue>())]),
  id: optional(string()),
});

const reply = object<ScriptReply>({
  match: optional(
    object<ScriptMatch>({
      model: optional(string()),
      endpoint: optional(endpoint),
      lastUserMessageIncludes: optional(string()),
    }),
  ),
  repeat: optional(boolean()),
  model: optional(string()),
  text: optional(string()),
  reasoning: optional(string()),
  reasoningSignature: optional(string()),
  toolCalls: optional(arrayOf(toolCall)),
  usage: optional(
    object<ScriptUsage>({
      inputTokens: optional(count),
      outputTokens: optional(count),
      cachedTokens: optional(count),
      cacheCreationTokens: optional(count),
      reasoningTokens: optional(count),
    }),
  ),
  stopReason: optional(stopReason),
  headers: optional(record(string())),
  status: optional(integer({ min: 100, max: 599 })),
  error: optional(
    object<ScriptErrorSpec>({
      message: string(),
      type: optional(string()),
      code: optional(string()),
      param: optional(string()),
    }),
  ),
  body: optional(unknownJson()),
  latencyMs: optional(count),
  chunkIntervalMs: optional(count),
  disconnectAfterChunks: optional(count),
  malformedChunkAt: optional(count),
  streamError: optional(
    object<ScriptStreamError>({
      afterChunks: count,
      message: optional(string()),
      type: optional(string()),
      code: optional(string()),
      event: optional(union([literal("error"), literal("response.failed")])),
    }),
  ),
});

const script = object<Script>({
  models: optional(arrayOf(string())),
  replies: arrayOf(reply),
});

/** Validates one reply; throws `ScriptValidationError` naming the path of the first problem. */
export function parseReply(value: unknown, path = "reply"): ScriptReply {
  return reply(value, path);
}

/** Validates a whole script; throws `ScriptValidationError` naming the path of the first problem. */
export function parseScript(value: unknown): Script {
  return script(value, "script");
}

/** Reads and validates a script from a JSON file. */
export async function loadScriptFile(file: string): Promise<Script> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScriptValidationError(`cannot read script ${file}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScriptValidationError(`script ${file} is not valid JSON: ${reason}`);
  }
  try {
    return parseScript(json);
  } catch (error) {
    if (error instanceof ScriptValidationError) {
      throw new ScriptValidationError(`script ${file}: ${error.message}`);
    }
    throw error;
  }
}
