import { z } from "zod";
import type {
  CanonicalMessage,
  CanonicalRequest,
  CanonicalTool,
  ContentPart,
  ImagePart,
  TextPart,
  ToolChoice,
  ToolResultPart,
} from "@hedge/model-spec";
import { newCanonicalRequest, parseLenient } from "../codec.js";
import { objectField, parseJsonObject, stringField, type JsonObject } from "../json.js";

const blockSchema = z.looseObject({ type: z.string() });
const contentSchema = z.union([z.string(), z.array(blockSchema)]);

const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(
    // `system` entries are Anthropic's mid-conversation system messages (Claude Code sends them).
    z.looseObject({ role: z.enum(["user", "assistant", "system"]), content: contentSchema }),
  ),
  system: contentSchema.optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  tools: z
    .array(
      z.looseObject({
        type: z.string().optional(),
        name: z.string(),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  tool_choice: z
    .looseObject({
      type: z.enum(["auto", "any", "none", "tool"]),
      name: z.string().optional(),
      disable_parallel_tool_use: z.boolean().optional(),
    })
    .optional(),
  thinking: z
    .looseObject({ type: z.string(), budget_tokens: z.number().int().positive().optional() })
    .optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
});
type MessagesRequestBody = z.infer<typeof messagesRequestSchema>;
type Block = z.infer<typeof blockSchema>;

const KNOWN = new Set(Object.keys(messagesRequestSchema.shape));
const IGNORED = new Set(["top_k", "service_tier"]);
const REQUIRED = ["model", "messages"];

/**
 * Canonical request of an Anthropic Messages body a client sent (Claude Code included);
 * throws `WireDecodeError` (400). `cache_control` hints cannot travel and are noted once.
 */
export function decodeMessagesRequest(body: unknown): CanonicalRequest {
  const dropped: string[] = [];
  const parsed = parseLenient(
    messagesRequestSchema,
    body,
    { required: REQUIRED, known: KNOWN, ignored: IGNORED },
    dropped,
  );
  const context: DecodeContext = { dropped, sawCacheControl: false };
  const messages: CanonicalMessage[] = [];
  parsed.messages.forEach((message, index) => {
    const blocks: Block[] =
      typeof message.content === "string"
        ? [{ type: "text", text: message.content }]
        : message.content;
    const where = `messages[${index}]`;
    if (message.role === "assistant") {
      messages.push({ role: "assistant", content: decodeAssistantBlocks(blocks, where, context) });
    } else if (message.role === "system") {
      messages.push({ role: "system", content: decodeSystemBlocks(blocks, where, context) });
    } else decodeUserBlocks(blocks, where, context, messages);
  });
  const systemParts = parsed.system === undefined ? [] : decodeSystem(parsed.system, context);
  const request = newCanonicalRequest(parsed, messages, systemParts, dropped);
  assignOptions(request, parsed, context);
  if (context.sawCacheControl) dropped.push("cache_control");
  return request;
}

/** Prefix of the attribution block Claude Code puts first in `system`. */
const BILLING_HEADER_PREFIX = "x-anthropic-billing-header:";

/**
 * Top-level system text parts. Claude Code's `x-anthropic-billing-header: …; cch=…;` block is no
 * instruction, and its hash changes with every request: kept, it would sit at the very start of
 * the translated prompt and defeat the upstream's prefix cache, so it is dropped (pass-through
 * still sends it untouched).
 */
function decodeSystem(
  system: NonNullable<MessagesRequestBody["system"]>,
  context: DecodeContext,
): string[] {
  const blocks: Block[] = typeof system === "string" ? [{ type: "text", text: system }] : system;
  const texts: string[] = [];
  blocks.forEach((block, index) => {
    const text = textOfBlock(block, context);
    if (text.startsWith(BILLING_HEADER_PREFIX)) {
      context.dropped.push(`system[${index}] (x-anthropic-billing-header)`);
    } else texts.push(text);
  });
  return texts;
}

interface DecodeContext {
  dropped: string[];
  sawCacheControl: boolean;
}

function assignOptions(
  request: CanonicalRequest,
  parsed: MessagesRequestBody,
  context: DecodeContext,
): void {
  if (parsed.tools !== undefined) request.tools = decodeTools(parsed.tools, context);
  if (parsed.tool_choice !== undefined) {
    request.tool_choice = decodeToolChoice(parsed.tool_choice);
    if (parsed.tool_choice.disable_parallel_tool_use !== undefined) {
      request.parallel_tool_calls = !parsed.tool_choice.disable_parallel_tool_use;
    }
  }
  if (parsed.max_tokens !== undefined) request.max_tokens = parsed.max_tokens;
  if (parsed.temperature !== undefined) request.temperature = parsed.temperature;
  if (parsed.top_p !== undefined) request.top_p = parsed.top_p;
  if (parsed.stop_sequences !== undefined) request.stop = parsed.stop_sequences;
  if (parsed.thinking?.type === "enabled" && parsed.thinking.budget_tokens !== undefined) {
    request.reasoning = { budget_tokens: parsed.thinking.budget_tokens };
  }
  const userId = parsed.metadata?.user_id;
  if (userId != null) {
    request.metadata.user = userId;
    const session = sessionOfUserId(userId);
    if (session !== undefined) request.metadata.session_id = session;
  }
}

/**
 * The Claude Code session in a `metadata.user_id`, which keeps routing sticky. Claude Code 2.1
 * sends a JSON object text (`{"device_id":…,"session_id":…}`); older versions a string ending in
 * `_session_<uuid>`.
 */
export function sessionOfUserId(userId: string): string | undefined {
  if (userId.startsWith("{")) {
    const parsed = parseJsonObject(userId);
    const session = parsed === undefined ? undefined : stringField(parsed, "session_id");
    return session === undefined || session.length === 0 ? undefined : session;
  }
  const sessionAt = userId.lastIndexOf("session_");
  return sessionAt === -1 ? undefined : userId.slice(sessionAt + 8);
}

/** A mid-conversation system message: text only (tool_addition/tool_removal cannot travel). */
function decodeSystemBlocks(blocks: Block[], where: string, context: DecodeContext): TextPart[] {
  const parts: TextPart[] = [];
  blocks.forEach((block, index) => {
    if (block.type === "text") parts.push({ type: "text", text: textOfBlock(block, context) });
    else context.dropped.push(`${where}.content[${index}] (${block.type})`);
  });
  return parts;
}

/** Tool results lead the user turn in Anthropic; canonically they are their own `tool` message. */
function decodeUserBlocks(
  blocks: Block[],
  where: string,
  context: DecodeContext,
  out: CanonicalMessage[],
): void {
  const results: ToolResultPart[] = [];
  const content: (TextPart | ImagePart)[] = [];
  blocks.forEach((block, index) => {
    noteCacheControl(block, context);
    if (block.type === "tool_result")
      results.push(decodeToolResult(block, `${where}.content[${index}]`, context));
    else decodeMediaBlock(block, `${where}.content[${index}]`, context, content);
  });
  if (results.length > 0) out.push({ role: "tool", content: results });
  if (content.length > 0 || results.length === 0) out.push({ role: "user", content });
}

function decodeAssistantBlocks(
  blocks: Block[],
  where: string,
  context: DecodeContext,
): ContentPart[] {
  const parts: ContentPart[] = [];
  blocks.forEach((block, index) => {
    noteCacheControl(block, context);
    const text = stringField(block, "text");
    switch (block.type) {
      case "text":
        if (text !== undefined) parts.push({ type: "text", text });
        return;
      case "thinking": {
        const part: ContentPart = { type: "reasoning", text: stringField(block, "thinking") ?? "" };
        const signature = stringField(block, "signature");
        if (signature !== undefined) part.signature = signature;
        parts.push(part);
        return;
      }
      case "tool_use":
        parts.push({
          type: "tool_call",
          id: stringField(block, "id") ?? "",
          name: stringField(block, "name") ?? "",
          arguments: JSON.stringify(objectField(block, "input") ?? {}),
        });
        return;
      default:
        // redacted_thinking, server_tool_use and hosted tool results have no canonical form.
        context.dropped.push(`${where}.content[${index}] (${block.type})`);
    }
  });
  return parts;
}

function decodeToolResult(block: Block, where: string, context: DecodeContext): ToolResultPart {
  const raw = block["content"];
  let content: ToolResultPart["content"] = "";
  if (typeof raw === "string") content = raw;
  else if (Array.isArray(raw)) {
    const parts: (TextPart | ImagePart)[] = [];
    raw.forEach((item: unknown, index) => {
      const parsed = blockSchema.safeParse(item);
      if (parsed.success)
        decodeMediaBlock(parsed.data, `${where}.content[${index}]`, context, parts);
    });
    content = parts;
  }
  const part: ToolResultPart = {
    type: "tool_result",
    call_id: stringField(block, "tool_use_id") ?? "",
    content,
  };
  if (block["is_error"] === true) part.is_error = true;
  return part;
}

function decodeMediaBlock(
  block: Block,
  where: string,
  context: DecodeContext,
  out: (TextPart | ImagePart)[],
): void {
  noteCacheControl(block, context);
  if (block.type === "text") {
    out.push({ type: "text", text: textOfBlock(block, context) });
    return;
  }
  const source = objectField(block, "source");
  const sourceType = stringField(source, "type");
  const url = stringField(source, "url");
  const data = stringField(source, "data");
  const mediaType = stringField(source, "media_type");
  if (block.type === "image" && sourceType === "url" && url !== undefined) {
    out.push({ type: "image", source: { kind: "url", url } });
  } else if (
    block.type === "image" &&
    sourceType === "base64" &&
    data !== undefined &&
    mediaType !== undefined
  ) {
    out.push({ type: "image", source: { kind: "base64", media_type: mediaType, data } });
  } else context.dropped.push(`${where} (${block.type})`);
}

function textOfBlock(block: JsonObject, context: DecodeContext): string {
  noteCacheControl(block, context);
  return stringField(block, "text") ?? "";
}

function noteCacheControl(block: JsonObject, context: DecodeContext): void {
  if (block["cache_control"] !== undefined) context.sawCacheControl = true;
}

function decodeTools(
  tools: NonNullable<MessagesRequestBody["tools"]>,
  context: DecodeContext,
): CanonicalTool[] {
  const decoded: CanonicalTool[] = [];
  tools.forEach((tool, index) => {
    noteCacheControl(tool, context);
    // Hosted tools (web_search_20250305, bash_..., text_editor_...) carry a versioned type.
    if ((tool.type !== undefined && tool.type !== "custom") || tool.input_schema === undefined) {
      context.dropped.push(`tools[${index}] (${tool.type ?? tool.name})`);
      return;
    }
    const canonical: CanonicalTool = { name: tool.name, parameters: tool.input_schema };
    if (tool.description !== undefined) canonical.description = tool.description;
    decoded.push(canonical);
  });
  return decoded;
}

function decodeToolChoice(choice: NonNullable<MessagesRequestBody["tool_choice"]>): ToolChoice {
  switch (choice.type) {
    case "any":
      return "required";
    case "tool":
      return { name: choice.name ?? "" };
    default:
      return choice.type;
  }
}
