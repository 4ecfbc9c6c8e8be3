import { readFile } from "node:fs/promises";
import { z } from "zod";

/** Thrown for a script that does not match the schema; the message names the path of the first problem. */
export class ScriptValidationError extends Error {
  override readonly name = "ScriptValidationError";
}

/** Optional fields are absent or valid, never `undefined` (matches `exactOptionalPropertyTypes`). */
const optional = z.exactOptional;
const count = z.int().min(0);

/** The three inbound wire formats the scripted upstream speaks. */
const endpointSchema = z.enum(["chat", "responses", "messages"]);
export type Endpoint = z.infer<typeof endpointSchema>;

/** Provider-neutral stop reason; each format maps it to its own vocabulary. */
const stopReasonSchema = z.enum(["end_turn", "max_tokens", "tool_use", "content_filter"]);
export type StopReason = z.infer<typeof stopReasonSchema>;

/** A JSON value, so scripts stay serialisable. */
const jsonValueSchema = z.json();
export type JsonValue = z.infer<typeof jsonValueSchema>;

/** A function call in a reply: arguments as an object, or a raw string sent verbatim (may be invalid JSON on purpose). */
const toolCallSchema = z.strictObject({
  name: z.string(),
  arguments: z.union([z.string(), z.record(z.string(), jsonValueSchema)]),
  /** Fixed id; otherwise one in the provider's style (`call_…`, `toolu_…`). */
  id: optional(z.string()),
});
export type ScriptToolCall = z.infer<typeof toolCallSchema>;

/**
 * Token counts. `inputTokens` is the whole prompt including cached tokens (OpenAI convention);
 * for Anthropic the uncached remainder goes into `input_tokens`. `outputTokens` includes reasoning.
 * Omitted counts are estimated at roughly four characters a token.
 */
const usageSchema = z.strictObject({
  inputTokens: optional(count),
  outputTokens: optional(count),
  cachedTokens: optional(count),
  cacheCreationTokens: optional(count),
  reasoningTokens: optional(count),
});
export type ScriptUsage = z.infer<typeof usageSchema>;

/** Conditions a request must meet for the reply to be used; omitted fields match anything. */
const matchSchema = z.strictObject({
  model: optional(z.string()),
  endpoint: optional(endpointSchema),
  /** Substring of the text of the last user message. */
  lastUserMessageIncludes: optional(z.string()),
});
export type ScriptMatch = z.infer<typeof matchSchema>;

/** An error in the provider's own shape (OpenAI `{error:{…}}`, Anthropic `{type:"error",error:{…}}`). */
const errorSpecSchema = z.strictObject({
  message: z.string(),
  /** Defaults to the provider's type for the status, e.g. `rate_limit_error`. */
  type: optional(z.string()),
  code: optional(z.string()),
  param: optional(z.string()),
});
export type ScriptErrorSpec = z.infer<typeof errorSpecSchema>;

/** An error event sent after a 200 and some chunks, then the stream ends. */
const streamErrorSchema = z.strictObject({
  afterChunks: count,
  message: optional(z.string()),
  type: optional(z.string()),
  code: optional(z.string()),
  /** Responses only: an `error` event (default) or a `response.failed` event. */
  event: optional(z.enum(["error", "response.failed"])),
});
export type ScriptStreamError = z.infer<typeof streamErrorSchema>;

/** One scripted reply: content, usage, headers and faults. */
const replySchema = z.strictObject({
  match: optional(matchSchema),
  /** Serve this reply for every matching request instead of once. */
  repeat: optional(z.boolean()),
  /** Model named in the reply; defaults to the requested model. */
  model: optional(z.string()),
  text: optional(z.string()),
  reasoning: optional(z.string()),
  /** Anthropic thinking signature; generated when omitted. */
  reasoningSignature: optional(z.string()),
  toolCalls: optional(z.array(toolCallSchema)),
  usage: optional(usageSchema),
  /** Defaults to `tool_use` when there are tool calls, else `end_turn`. */
  stopReason: optional(stopReasonSchema),
  /** Extra response headers, e.g. rate-limit headers or `retry-after`. */
  headers: optional(z.record(z.string(), z.string())),
  /** HTTP status; a status >= 400 answers with `body` or an error built from `error`. */
  status: optional(z.int().min(100).max(599)),
  error: optional(errorSpecSchema),
  /** Raw body (string verbatim, anything else as JSON) replacing the generated one. */
  body: optional(jsonValueSchema),
  /** Delay before the first byte. */
  latencyMs: optional(count),
  /** Delay between SSE chunks. */
  chunkIntervalMs: optional(count),
  /** Destroy the socket after this many SSE chunks (non-streaming: before any byte). */
  disconnectAfterChunks: optional(count),
  /** Send a data line of invalid JSON before the chunk at this 0-based position. */
  malformedChunkAt: optional(count),
  /**
   * End the stream cleanly (a complete HTTP response) without its terminal event: Chat's
   * `data: [DONE]`, Responses' `response.completed` (or `.incomplete`), Messages' `message_stop`.
   */
  omitTerminalEvent: optional(z.boolean()),
  streamError: optional(streamErrorSchema),
});
export type ScriptReply = z.infer<typeof replySchema>;

/** A script: replies served in order, each taken by the first request it matches. */
const scriptSchema = z.strictObject({
  /** Ids listed by `GET /v1/models`; defaults to the models the replies name. */
  models: optional(z.array(z.string())),
  replies: z.array(replySchema),
});
export type Script = z.infer<typeof scriptSchema>;

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** Parses `value` with `schema`, or throws `ScriptValidationError` naming the first problem under `root`. */
function parseWith<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = firstIssue(result.error.issues);
  throw new ScriptValidationError(issue ? describeIssue(issue, root, value) : `${root}: invalid`);
}

/**
 * Zod reports a strict object's unknown keys after the problems inside it; a misspelt field is
 * the likelier cause, so an unknown key in an object enclosing the first problem is reported first.
 */
function firstIssue(issues: readonly Issue[]): Issue | undefined {
  const first = issues[0];
  if (!first) return undefined;
  let chosen = first;
  for (const issue of issues) {
    if (
      issue.code === "unrecognized_keys" &&
      issue.path.length < chosen.path.length &&
      issue.path.every((key, index) => key === first.path[index])
    ) {
      chosen = issue;
    }
  }
  return chosen;
}

/** One line: `replies[1].toolCalls[0].name: expected a string, got number`. */
function describeIssue(issue: Issue, root: string, input: unknown): string {
  const path = [...issue.path];
  switch (issue.code) {
    case "unrecognized_keys":
      return `${formatPath(root, [...path, issue.keys[0] ?? ""])}: unknown field`;
    case "invalid_type": {
      const found = valueAt(input, path);
      if (path.length > 0 && !found.present) return `${formatPath(root, path)}: required`;
      return `${formatPath(root, path)}: expected ${typeName(issue.expected)}, got ${kind(found.value, issue.expected)}`;
    }
    case "invalid_value":
      return `${formatPath(root, path)}: expected ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}, got ${preview(issue.input)}`;
    case "too_small":
      return `${formatPath(root, path)}: expected at least ${String(issue.minimum)}, got ${preview(issue.input)}`;
    case "too_big":
      return `${formatPath(root, path)}: expected at most ${String(issue.maximum)}, got ${preview(issue.input)}`;
    case "invalid_union":
      return describeUnion(issue, root, input);
    default:
      return `${formatPath(root, path)}: ${issue.message}`;
  }
}

/**
 * A union fails in every branch. A branch that got past the top-level type check explains the
 * problem best; when none did, the message lists what each branch expected.
 */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion, root: string, input: unknown): string {
  const firsts = issue.errors.flatMap((branch) => (branch[0] ? [branch[0]] : []));
  const deepest = firsts.reduce<Issue | undefined>(
    (best, candidate) => (!best || candidate.path.length > best.path.length ? candidate : best),
    undefined,
  );
  const prefixed = (inner: Issue): Issue => ({ ...inner, path: [...issue.path, ...inner.path] });
  if (deepest && deepest.path.length > 0) return describeIssue(prefixed(deepest), root, input);
  const specific = firsts.find((inner) => inner.code !== "invalid_type");
  if (specific) return describeIssue(prefixed(specific), root, input);
  const expected = [
    ...new Set(
      firsts.flatMap((inner) => (inner.code === "invalid_type" ? [typeName(inner.expected)] : [])),
    ),
  ];
  const got = kind(valueAt(input, issue.path).value);
  return `${formatPath(root, issue.path)}: expected ${joinAlternatives(expected)}, got ${got}`;
}

function formatPath(root: string, path: readonly PathKey[]): string {
  let text = root;
  for (const key of path) text += typeof key === "number" ? `[${key}]` : `.${String(key)}`;
  return text;
}

function valueAt(input: unknown, path: readonly PathKey[]): { present: boolean; value?: unknown } {
  let node = input;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !(key in node)) return { present: false };
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: node };
}

const typeNames: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  null: "null",
  array: "an array",
  object: "an object",
  record: "an object",
};

function typeName(expected: string): string {
  return typeNames[expected] ?? expected;
}

/** What was found: its type, or the number itself when an integer was expected. */
function kind(value: unknown, expected?: string): string {
  if (expected === "int" && typeof value === "number") return String(value);
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 2) return items.join(" or ");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1) ?? ""}`;
}

/** Validates one reply; throws `ScriptValidationError` naming the path of the first problem. */
export function parseReply(value: unknown, path = "reply"): ScriptReply {
  return parseWith(replySchema, value, path);
}

/** Validates a whole script; throws `ScriptValidationError` naming the path of the first problem. */
export function parseScript(value: unknown): Script {
  return parseWith(scriptSchema, value, "script");
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
