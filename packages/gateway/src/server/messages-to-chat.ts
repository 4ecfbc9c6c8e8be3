import { isUtf8 } from "node:buffer";
import { withJsonBytes } from "./json-scan.js";
import { kindAt, NotRaw, notRaw, RawJson, stringSpan, type Span } from "./json-raw.js";
import type { JsonTape, MemberSpan } from "./json-scan.js";
import { ByteOutput } from "./byte-output.js";
import { toolsPart } from "./chat-tools-part.js";

/**
 * Anthropic Messages in, Chat Completions out, written in one pass from the inbound bytes: tool
 * schemas, descriptions, prompts and tool results (nearly all of an agent request) are copied as
 * the JSON bytes they arrived as; only roles, ids, limits and the like are read. The output is,
 * as JSON, what `encodeChatRequest(decodeMessagesRequest(JSON.parse(body)))` gives, and the same
 * fields are reported dropped. Whatever this path does not map exactly (images, `tool_choice`,
 * hosted tools, a field the decoder would drop or refuse, a repeated key, bytes that are not
 * UTF-8) returns undefined, and the caller takes that parse-everything path instead.
 */
export function messagesToChat(
  raw: Buffer,
  scanned: { members: ReadonlyMap<string, MemberSpan>; tape: JsonTape },
  upstreamModel: string,
): { body: Buffer; dropped: string[] } | undefined {
  // A string copied as bytes must be what JSON.parse would read: U+FFFD stands for bad bytes.
  if (!isUtf8(raw)) return undefined;
  const json = new RawJson(raw, scanned.tape);
  try {
    return withJsonBytes(raw, () => translate(json, scanned.members, upstreamModel));
  } catch (error) {
    // Too deep for the recursive checks is JSON.parse's to judge, as is anything unmapped.
    if (error instanceof NotRaw || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Top-level members the Messages decoder maps (or validates), and those it ignores silently. */
const KNOWN = new Set([
  "model",
  "messages",
  "system",
  "max_tokens",
  "temperature",
  "top_p",
  "stop_sequences",
  "stream",
  "tools",
  "tool_choice",
  "thinking",
  "metadata",
]);
const IGNORED = new Set(["top_k", "service_tier"]);
/** Keys Object.keys lists before the others (array indexes): their drop order differs. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;
const BILLING_HEADER_PREFIX = "x-anthropic-billing-header:";

/** A text to copy: a JSON string's bytes, or `null` for a missing or non-string text (""). */
type Piece = Span | null;

interface Context {
  json: RawJson;
  raw: Buffer;
  out: ByteOutput;
  sawCacheControl: boolean;
}

function translate(
  json: RawJson,
  top: ReadonlyMap<string, MemberSpan>,
  upstreamModel: string,
): { body: Buffer; dropped: string[] } {
  const raw = json.raw;
  const dropped: string[] = [];
  for (const [key, span] of top) {
    if (span.count > 1 || key === "__proto__" || key === "tool_choice") notRaw();
    if (KNOWN.has(key) || IGNORED.has(key)) continue;
    if (INDEX_KEY.test(key)) notRaw();
    dropped.push(key);
  }
  const model = top.get("model");
  const modelValue = model === undefined ? undefined : json.valueOf(model);
  if (typeof modelValue !== "string" || modelValue.length === 0) notRaw();
  const messages = itemsOf(json, top.get("messages")) ?? notRaw();
  const stream = optional(json, top.get("stream"), (value) => typeof value === "boolean");
  const maxTokens = optional(json, top.get("max_tokens"), isPositiveInteger);
  const temperature = optional(json, top.get("temperature"), Number.isFinite);
  const topP = optional(json, top.get("top_p"), Number.isFinite);
  const stop = optional(
    json,
    top.get("stop_sequences"),
    (value) => Array.isArray(value) && value.every((item) => typeof item === "string"),
  ) as string[] | undefined;
  optional(json, top.get("thinking"), isThinking);
  optional(json, top.get("metadata"), isMetadata);
  const tools = toolsPart(json, top.get("tools"));

  const out = new ByteOutput(raw.length + (raw.length >>> 2) + 4096);
  const context: Context = { json, raw, out, sawCacheControl: false };
  out.text(`{"model":${JSON.stringify(upstreamModel)},"messages":[`);
  let first = true;
  const system = top.get("system");
  if (system !== undefined) {
    const pieces = systemPieces(context, system, dropped);
    if (pieces.length > 0) {
      out.text('{"role":"system","content":');
      writeJoined(context, pieces, "\n\n");
      out.text("}");
      first = false;
    }
  }
  for (const message of messages) {
    const members = json.membersAt(message.start) ?? notRaw();
    const role = members.get("role");
    const roleValue = role === undefined ? undefined : json.valueOf(role);
    const content = members.get("content") ?? notRaw();
    const blocks = blocksOf(json, content);
    if (roleValue === "user") first = writeUser(context, content, blocks, first);
    else if (roleValue === "assistant") first = writeAssistant(context, content, blocks, first);
    else if (roleValue === "system") first = writeSystemMessage(context, content, blocks, first);
    else notRaw();
  }
  out.text(`],"stream":${stream === true}`);
  if (stream === true) out.text(',"stream_options":{"include_usage":true}');
  if (tools.cacheControl) context.sawCacheControl = true;
  out.copy(tools.bytes, { start: 0, end: tools.bytes.length });
  if (maxTokens !== undefined) out.text(`,"max_tokens":${JSON.stringify(maxTokens)}`);
  if (temperature !== undefined) out.text(`,"temperature":${JSON.stringify(temperature)}`);
  if (topP !== undefined) out.text(`,"top_p":${JSON.stringify(topP)}`);
  if (stop !== undefined && stop.length > 0) out.text(`,"stop":${JSON.stringify(stop)}`);
  out.text("}");
  if (context.sawCacheControl) dropped.push("cache_control");
  return { body: out.done(), dropped };
}

/** A small optional member's value, checked as the decoder's schema checks it (else `NotRaw`). */
function optional(
  json: RawJson,
  span: Span | undefined,
  valid: (value: unknown) => boolean,
): unknown {
  if (span === undefined) return undefined;
  const value = json.valueOf(span);
  if (!valid(value)) notRaw();
  return value;
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isThinking(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    typeof value["type"] === "string" &&
    (value["budget_tokens"] === undefined || isPositiveInteger(value["budget_tokens"]))
  );
}

function isMetadata(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const user = value["user_id"];
  return user === undefined || user === null || typeof user === "string";
}

function itemsOf(json: RawJson, span: Span | undefined): Span[] | undefined {
  return span === undefined ? undefined : json.itemsAt(span.start);
}

interface Block {
  type: string;
  members: Map<string, Span>;
}

/** Content blocks (undefined for string content); each must be an object with a string `type`. */
function blocksOf(json: RawJson, content: Span): Block[] | undefined {
  if (json.raw[content.start] === 0x22) return undefined;
  const items = json.itemsAt(content.start) ?? notRaw();
  return items.map((item) => blockOf(json, item) ?? notRaw());
}

function blockOf(json: RawJson, item: Span): Block | undefined {
  const members = json.membersAt(item.start);
  const type = members?.get("type");
  if (members === undefined || type === undefined || json.raw[type.start] !== 0x22)
    return undefined;
  return { type: json.stringOf(type), members };
}

/** A block's `text` as a piece (noting `cache_control`, as the decoder does). */
function textPiece(context: Context, block: Block): Piece {
  noteCacheControl(context, block);
  return stringSpan(context.raw, block.members.get("text"));
}

function noteCacheControl(context: Context, block: Block): void {
  if (block.members.has("cache_control")) context.sawCacheControl = true;
}

/** Top-level system texts, Claude Code's billing-header block dropped as the decoder drops it. */
function systemPieces(context: Context, system: Span, dropped: string[]): Piece[] {
  const { json, raw } = context;
  // A string is one text block to the decoder (with no cache_control to note).
  const texts =
    raw[system.start] === 0x22
      ? [system]
      : (json.itemsAt(system.start) ?? notRaw()).map((item) =>
          textPiece(context, blockOf(json, item) ?? notRaw()),
        );
  const pieces: Piece[] = [];
  texts.forEach((piece, index) => {
    // Only a text starting `x` (or an escape) can be the billing header: others are not read.
    const lead = piece === null ? undefined : raw[piece.start + 1];
    if (
      piece !== null &&
      (lead === 0x78 || lead === 0x5c) &&
      json.stringOf(piece).startsWith(BILLING_HEADER_PREFIX)
    )
      dropped.push(`system[${index}] (x-anthropic-billing-header)`);
    else pieces.push(piece);
  });
  return pieces;
}

function writeUser(
  context: Context,
  content: Span,
  blocks: Block[] | undefined,
  first: boolean,
): boolean {
  const { raw, out } = context;
  if (blocks === undefined) {
    out.text(`${first ? "" : ","}{"role":"user","content":`);
    out.copy(raw, content);
    out.text("}");
    return false;
  }
  const texts: Piece[] = [];
  let results = 0;
  for (const block of blocks) {
    noteCacheControl(context, block);
    if (block.type === "text") texts.push(textPiece(context, block));
    else if (block.type === "tool_result") {
      out.text(`${first && results === 0 ? "" : ","}{"role":"tool","tool_call_id":`);
      writeString(context, stringSpan(raw, block.members.get("tool_use_id")));
      out.text(',"content":');
      writeJoined(context, toolResultPieces(context, block), "");
      out.text("}");
      results += 1;
    } else notRaw();
  }
  if (texts.length > 0 || results === 0) {
    out.text(`${first && results === 0 ? "" : ","}{"role":"user","content":`);
    writeJoined(context, texts, "");
    out.text("}");
  }
  return false;
}

/** A tool result's texts: its string content, or the text blocks of its block content. */
function toolResultPieces(context: Context, block: Block): Piece[] {
  const { json, raw } = context;
  const content = block.members.get("content");
  if (content === undefined) return [];
  if (raw[content.start] === 0x22) return [content];
  const items = json.itemsAt(content.start);
  if (items === undefined) return [];
  const pieces: Piece[] = [];
  for (const item of items) {
    // The decoder skips items that are not blocks; a block it cannot map (an image) is not ours.
    const inner = blockOf(json, item);
    if (inner === undefined) continue;
    if (inner.type !== "text") notRaw();
    pieces.push(textPiece(context, inner));
  }
  return pieces;
}

function writeAssistant(
  context: Context,
  content: Span,
  blocks: Block[] | undefined,
  first: boolean,
): boolean {
  const { json, raw, out } = context;
  const texts: Piece[] = [];
  const calls: Block[] = [];
  if (blocks === undefined) texts.push(content);
  else
    for (const block of blocks) {
      noteCacheControl(context, block);
      if (block.type === "text") {
        const piece = stringSpan(raw, block.members.get("text"));
        if (piece !== null) texts.push(piece);
      } else if (block.type === "tool_use") calls.push(block);
      else if (block.type !== "thinking") notRaw(); // reasoning is not replayed to Chat
    }
  out.text(`${first ? "" : ","}{"role":"assistant","content":`);
  if (joinedIsEmpty(raw, texts)) out.text("null");
  else writeJoined(context, texts, "");
  if (calls.length > 0) {
    out.text(',"tool_calls":[');
    calls.forEach((call, index) => {
      out.text(`${index > 0 ? "," : ""}{"id":`);
      writeString(context, stringSpan(raw, call.members.get("id")));
      out.text(',"type":"function","function":{"name":');
      writeString(context, stringSpan(raw, call.members.get("name")));
      const input = call.members.get("input");
      // Arguments are text: the input as JSON.stringify writes it (its bytes may differ).
      const args =
        input !== undefined && kindAt(raw, input.start) === "object"
          ? JSON.stringify(json.valueOf(input))
          : "{}";
      out.text(`,"arguments":${JSON.stringify(args)}}}`);
    });
    out.text("]");
  }
  out.text("}");
  return false;
}

function writeSystemMessage(
  context: Context,
  content: Span,
  blocks: Block[] | undefined,
  first: boolean,
): boolean {
  const pieces: Piece[] = [];
  if (blocks === undefined) pieces.push(content);
  else
    for (const block of blocks) {
      if (block.type !== "text") notRaw(); // the decoder drops it
      pieces.push(textPiece(context, block));
    }
  context.out.text(`${first ? "" : ","}{"role":"system","content":`);
  writeJoined(context, pieces, "");
  context.out.text("}");
  return false;
}

function joinedIsEmpty(raw: Buffer, pieces: Piece[]): boolean {
  return pieces.every((piece) => piece === null || piece.end - piece.start === 2);
}

/** A string piece: its bytes, or `""`. */
function writeString(context: Context, piece: Piece): void {
  if (piece === null) context.out.text('""');
  else context.out.copy(context.raw, piece);
}

/** Texts joined by `separator` as one JSON string: copied when there is one, else rebuilt. */
function writeJoined(context: Context, pieces: Piece[], separator: string): void {
  if (pieces.length === 1) writeString(context, pieces[0] ?? null);
  else {
    const texts = pieces.map((piece) => (piece === null ? "" : context.json.stringOf(piece)));
    context.out.text(JSON.stringify(texts.join(separator)));
  }
}
