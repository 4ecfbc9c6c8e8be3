import { z } from "zod";
import {
  NAMESPACE_SEPARATOR,
  reasoningEffortSchema,
  type CanonicalMessage,
  type CanonicalRequest,
  type CanonicalTool,
  type ContentPart,
  type ImagePart,
  type ReasoningPart,
  type TextPart,
} from "@hedge/model-spec";
import { newCanonicalRequest, parseLenient, WireDecodeError } from "../codec.js";
import { imageSourceFromUrl } from "../images.js";
import { unwrapAnthropicThinking } from "./carried-thinking.js";
import { isJsonObject, stringField, type JsonObject } from "../json.js";

const itemSchema = z.looseObject({ type: z.string().optional(), role: z.string().optional() });
const functionToolSchema = z.looseObject({
  type: z.literal("function"),
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});
const toolSchema = z.looseObject({ type: z.string() });

const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(itemSchema)]),
  instructions: z.string().nullish(),
  tools: z.array(toolSchema).optional(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.looseObject({ type: z.string(), name: z.string().optional() }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .looseObject({
      format: z
        .looseObject({
          type: z.enum(["text", "json_object", "json_schema"]),
          name: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        })
        .optional(),
    })
    .nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stream: z.boolean().nullish(),
  reasoning: z
    .looseObject({ effort: reasoningEffortSchema.nullish(), summary: z.string().nullish() })
    .nullish(),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  prompt_cache_key: z.string().optional(),
});
type ResponsesRequestBody = z.infer<typeof responsesRequestSchema>;
type Item = z.infer<typeof itemSchema>;

const KNOWN = new Set(Object.keys(responsesRequestSchema.shape));
// `include` and `store` only matter to OpenAI's storage; encrypted reasoning is always requested.
const IGNORED = new Set([
  "include",
  "store",
  "metadata",
  "service_tier",
  "truncation",
  "client_metadata",
]);
const REQUIRED = ["model", "input"];

/**
 * Canonical request of a Responses body a client sent (Codex CLI included); throws
 * `WireDecodeError` (400). Namespace tools are flattened to `${namespace}__${name}`; hosted
 * tools (web_search, local_shell, custom...) and unmapped items are recorded in `dropped`.
 */
export function decodeResponsesRequest(body: unknown): CanonicalRequest {
  const previous = isJsonObject(body) ? body["previous_response_id"] : undefined;
  if (typeof previous === "string" && previous !== "") {
    // The earlier turns live in OpenAI's response store; translated, they would be silently
    // missing from the conversation. Refused, with what works instead.
    throw new WireDecodeError(
      "previous_response_id needs an OpenAI Responses upstream, which keeps earlier responses; " +
        "this model is served by translation. Send the whole conversation in `input` " +
        "(with store: false, as Codex does), or route the model to an `openai` provider",
    );
  }
  const dropped: string[] = [];
  const parsed = parseLenient(
    responsesRequestSchema,
    body,
    { required: REQUIRED, known: KNOWN, ignored: IGNORED },
    dropped,
  );
  const items: Item[] =
    typeof parsed.input === "string"
      ? [{ type: "message", role: "user", content: parsed.input }]
      : parsed.input;
  const systemParts: string[] = parsed.instructions == null ? [] : [parsed.instructions];
  const messages: CanonicalMessage[] = [];
  items.forEach((item, index) => {
    const where = `input[${index}]`;
    const isSystem = item.role === "system" || item.role === "developer";
    if (isSystem && messages.length === 0 && (item.type ?? "message") === "message") {
      systemParts.push(textOf(item["content"]));
      return;
    }
    decodeItem(item, where, dropped, messages);
  });
  const request = newCanonicalRequest(parsed, messages, systemParts, dropped);
  assignOptions(request, parsed, dropped);
  return request;
}

function assignOptions(
  request: CanonicalRequest,
  parsed: ResponsesRequestBody,
  dropped: string[],
): void {
  if (parsed.tools !== undefined) request.tools = decodeTools(parsed.tools, dropped);
  const choice = parsed.tool_choice;
  if (typeof choice === "string") request.tool_choice = choice;
  else if (choice?.type === "function" && choice.name !== undefined)
    request.tool_choice = { name: choice.name };
  else if (choice !== undefined) dropped.push(`tool_choice (${choice.type})`);
  if (parsed.parallel_tool_calls != null) request.parallel_tool_calls = parsed.parallel_tool_calls;
  const format = parsed.text?.format;
  if (format?.type === "json_schema") {
    request.response_format = {
      type: "json_schema",
      name: format.name ?? "response",
      schema: format.schema ?? {},
    };
    if (format.strict != null) request.response_format.strict = format.strict;
  } else if (format !== undefined) request.response_format = { type: format.type };
  if (parsed.max_output_tokens != null) request.max_tokens = parsed.max_output_tokens;
  if (parsed.temperature != null) request.temperature = parsed.temperature;
  if (parsed.top_p != null) request.top_p = parsed.top_p;
  const reasoning = parsed.reasoning;
  if (reasoning != null) {
    request.reasoning = {};
    if (reasoning.effort != null) request.reasoning.effort = reasoning.effort;
    if (reasoning.summary != null) request.reasoning.summary = reasoning.summary;
  }
  const user = parsed.safety_identifier ?? parsed.user;
  if (user !== undefined) request.metadata.user = user;
  // Codex sends the conversation id as prompt_cache_key: the natural session key.
  if (parsed.prompt_cache_key !== undefined) request.metadata.session_id = parsed.prompt_cache_key;
}

/** Append an item, merging runs of assistant-side items and of tool outputs into one message. */
function decodeItem(
  item: Item,
  where: string,
  dropped: string[],
  messages: CanonicalMessage[],
): void {
  const type = item.type ?? "message";
  switch (type) {
    case "message": {
      const role = item.role === "developer" ? "system" : item.role;
      if (role === "assistant")
        appendTo(messages, "assistant", decodeParts(item["content"], where, dropped));
      else if (role === "user" || role === "system") {
        messages.push({
          role,
          content: decodeParts(item["content"], where, dropped),
        });
      } else dropped.push(`${where} (role ${String(item.role)})`);
      return;
    }
    case "function_call": {
      const namespace = stringField(item, "namespace");
      const name = stringField(item, "name") ?? "";
      appendTo(messages, "assistant", [
        {
          type: "tool_call",
          id: stringField(item, "call_id") ?? "",
          name: namespace === undefined ? name : namespace + NAMESPACE_SEPARATOR + name,
          arguments: stringField(item, "arguments") ?? "{}",
        },
      ]);
      return;
    }
    case "function_call_output": {
      const output = item["output"];
      const content =
        typeof output === "string"
          ? output
          : (decodeParts(output, where, dropped) as (TextPart | ImagePart)[]);
      appendTo(messages, "tool", [
        { type: "tool_result", call_id: stringField(item, "call_id") ?? "", content },
      ]);
      return;
    }
    case "reasoning": {
      const part: ReasoningPart = { type: "reasoning", text: reasoningText(item) };
      const encrypted = stringField(item, "encrypted_content");
      const id = stringField(item, "id");
      const carried = encrypted === undefined ? undefined : unwrapAnthropicThinking(encrypted);
      if (carried !== undefined) {
        part.text = carried.thinking;
        part.signature = carried.signature;
      } else if (encrypted !== undefined) part.encrypted_content = encrypted;
      if (id !== undefined) part.id = id;
      appendTo(messages, "assistant", [part]);
      return;
    }
    default:
      dropped.push(`${where} (${type})`);
  }
}

function appendTo(
  messages: CanonicalMessage[],
  role: "assistant" | "tool",
  parts: ContentPart[],
): void {
  const last = messages[messages.length - 1];
  if (last?.role === role) last.content.push(...parts);
  else messages.push({ role, content: parts });
}

function decodeParts(content: unknown, where: string, dropped: string[]): ContentPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  const parts: ContentPart[] = [];
  content.forEach((part: unknown, index) => {
    if (!isJsonObject(part)) return;
    const text = stringField(part, "text") ?? stringField(part, "refusal");
    const imageUrl = stringField(part, "image_url");
    if (text !== undefined) parts.push({ type: "text", text });
    else if (part["type"] === "input_image" && imageUrl !== undefined) {
      parts.push({ type: "image", source: imageSourceFromUrl(imageUrl) });
    } else dropped.push(`${where}.content[${index}] (${String(part["type"])})`);
  });
  return parts;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  let text = "";
  if (Array.isArray(content)) {
    for (const part of content) if (isJsonObject(part)) text += stringField(part, "text") ?? "";
  }
  return text;
}

function reasoningText(item: JsonObject): string {
  const summary = item["summary"];
  const content = item["content"];
  const parts = Array.isArray(content) && content.length > 0 ? content : summary;
  const texts: string[] = [];
  if (Array.isArray(parts))
    for (const part of parts) if (isJsonObject(part)) texts.push(stringField(part, "text") ?? "");
  return texts.join("\n\n");
}

function decodeTools(tools: JsonObject[], dropped: string[]): CanonicalTool[] {
  const decoded: CanonicalTool[] = [];
  tools.forEach((tool, index) => {
    if (tool["type"] === "function") {
      const parsed = functionToolSchema.safeParse(tool);
      if (parsed.success) decoded.push(functionTool(parsed.data, undefined));
      else dropped.push(`tools[${index}] (invalid function)`);
      return;
    }
    const nested = tool["tools"];
    const namespace = stringField(tool, "name");
    if (tool["type"] === "namespace" && namespace !== undefined && Array.isArray(nested)) {
      nested.forEach((inner: unknown, innerIndex) => {
        const parsed = functionToolSchema.safeParse(inner);
        if (parsed.success) decoded.push(functionTool(parsed.data, namespace));
        else
          dropped.push(
            `tools[${index}].tools[${innerIndex}] (${isJsonObject(inner) ? String(inner["type"]) : "invalid"})`,
          );
      });
      return;
    }
    dropped.push(`tools[${index}] (${String(tool["type"])})`);
  });
  return decoded;
}

function functionTool(
  tool: z.infer<typeof functionToolSchema>,
  namespace: string | undefined,
): CanonicalTool {
  const canonical: CanonicalTool = {
    name: namespace === undefined ? tool.name : namespace + NAMESPACE_SEPARATOR + tool.name,
    parameters: tool.parameters ?? { type: "object", properties: {} },
  };
  if (tool.description != null) canonical.description = tool.description;
  if (tool.strict != null) canonical.strict = tool.strict;
  if (namespace !== undefined) canonical.namespace = namespace;
  return canonical;
}
