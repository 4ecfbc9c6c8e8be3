import { z } from "zod";
import {
  type CanonicalMessage,
  type CanonicalRequest,
  type CanonicalTool,
  type ContentPart,
  type ImagePart,
  type ResponseFormat,
  type TextPart,
  type ToolChoice,
  reasoningEffortSchema,
} from "@hedge/model-spec";
import { newCanonicalRequest, parseLenient } from "../codec.js";
import { imageSourceFromUrl } from "../images.js";
import { objectField, stringField, type JsonObject } from "../json.js";

const partSchema = z.looseObject({ type: z.string() });
const messageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(partSchema), z.null()]).optional(),
  tool_calls: z
    .array(
      z.looseObject({
        id: z.string(),
        function: z.looseObject({ name: z.string(), arguments: z.string().optional() }),
      }),
    )
    .nullish(),
  tool_call_id: z.string().optional(),
  reasoning_content: z.string().nullish(),
});

const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema),
  tools: z
    .array(
      z.looseObject({
        type: z.string(),
        function: z
          .looseObject({
            name: z.string(),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
            strict: z.boolean().nullish(),
          })
          .optional(),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(["auto", "none", "required"]),
      z.looseObject({ function: z.looseObject({ name: z.string() }) }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z
    .looseObject({
      type: z.enum(["text", "json_object", "json_schema"]),
      json_schema: z
        .looseObject({
          name: z.string(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        })
        .optional(),
    })
    .optional(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  reasoning_effort: reasoningEffortSchema.optional(),
  user: z.string().optional(),
  safety_identifier: z.string().optional(),
  prompt_cache_key: z.string().optional(),
});
type ChatRequestBody = z.infer<typeof chatRequestSchema>;
type ChatMessageBody = z.infer<typeof messageSchema>;

const KNOWN = new Set(Object.keys(chatRequestSchema.shape));
// Fields with no effect on what the model produces, or that only OpenAI's own storage uses.
const IGNORED = new Set(["store", "metadata", "n", "service_tier", "logprobs", "top_logprobs"]);
const REQUIRED = ["model", "messages"];

/** Canonical request of a Chat Completions body a client sent; throws `WireDecodeError` (400). */
export function decodeChatRequest(body: unknown): CanonicalRequest {
  const dropped: string[] = [];
  const parsed = parseLenient(
    chatRequestSchema,
    body,
    { required: REQUIRED, known: KNOWN, ignored: IGNORED },
    dropped,
  );
  const systemParts: string[] = [];
  const messages: CanonicalMessage[] = [];
  parsed.messages.forEach((message, index) => {
    const isSystem = message.role === "system" || message.role === "developer";
    // Leading instructions become `system`; later ones stay in place as system messages.
    if (isSystem && messages.length === 0) {
      systemParts.push(textOf(message.content));
      return;
    }
    const decoded = decodeMessage(message, `messages[${index}]`, dropped);
    if (decoded !== undefined) messages.push(decoded);
  });
  const request = newCanonicalRequest(parsed, messages, systemParts, dropped);
  assignOptions(request, parsed, dropped);
  return request;
}

function assignOptions(
  request: CanonicalRequest,
  parsed: ChatRequestBody,
  dropped: string[],
): void {
  const tools = decodeTools(parsed.tools, dropped);
  if (tools !== undefined) request.tools = tools;
  const toolChoice = decodeToolChoice(parsed.tool_choice);
  if (toolChoice !== undefined) request.tool_choice = toolChoice;
  if (parsed.parallel_tool_calls !== undefined) {
    request.parallel_tool_calls = parsed.parallel_tool_calls;
  }
  const responseFormat = decodeResponseFormat(parsed.response_format);
  if (responseFormat !== undefined) request.response_format = responseFormat;
  const maxTokens = parsed.max_completion_tokens ?? parsed.max_tokens;
  if (maxTokens != null) request.max_tokens = maxTokens;
  if (parsed.temperature != null) request.temperature = parsed.temperature;
  if (parsed.top_p != null) request.top_p = parsed.top_p;
  if (parsed.stop != null)
    request.stop = typeof parsed.stop === "string" ? [parsed.stop] : parsed.stop;
  if (parsed.reasoning_effort !== undefined)
    request.reasoning = { effort: parsed.reasoning_effort };
  if (parsed.stream_options?.include_usage !== undefined) {
    request.include_usage = parsed.stream_options.include_usage;
  }
  const user = parsed.safety_identifier ?? parsed.user;
  if (user !== undefined) request.metadata.user = user;
  if (parsed.prompt_cache_key !== undefined) request.metadata.session_id = parsed.prompt_cache_key;
}

function decodeMessage(
  message: ChatMessageBody,
  where: string,
  dropped: string[],
): CanonicalMessage | undefined {
  switch (message.role) {
    case "system":
    case "developer":
      return { role: "system", content: [{ type: "text", text: textOf(message.content) }] };
    case "user":
      return { role: "user", content: decodeUserContent(message.content, where, dropped) };
    case "assistant":
      return { role: "assistant", content: decodeAssistantContent(message, where, dropped) };
    case "tool":
      return {
        role: "tool",
        content: [
          {
            type: "tool_result",
            call_id: message.tool_call_id ?? "",
            content: textOf(message.content),
          },
        ],
      };
    default:
      dropped.push(`${where} (role ${message.role})`);
      return undefined;
  }
}

function decodeUserContent(
  content: ChatMessageBody["content"],
  where: string,
  dropped: string[],
): (TextPart | ImagePart)[] {
  if (content == null) return [];
  if (typeof content === "string") return [{ type: "text", text: content }];
  const parts: (TextPart | ImagePart)[] = [];
  content.forEach((part, index) => {
    const text = stringField(part, "text");
    const imageUrl =
      stringField(objectField(part, "image_url"), "url") ?? stringField(part, "image_url");
    if (part.type === "text" && text !== undefined) parts.push({ type: "text", text });
    else if (part.type === "image_url" && imageUrl !== undefined) {
      parts.push({ type: "image", source: imageSourceFromUrl(imageUrl) });
    } else dropped.push(`${where}.content[${index}] (${part.type})`);
  });
  return parts;
}

function decodeAssistantContent(
  message: ChatMessageBody,
  where: string,
  dropped: string[],
): ContentPart[] {
  const parts: ContentPart[] = [];
  if (message.reasoning_content != null && message.reasoning_content.length > 0) {
    parts.push({ type: "reasoning", text: message.reasoning_content });
  }
  const text = textOf(message.content, where, dropped);
  if (text.length > 0) parts.push({ type: "text", text });
  for (const call of message.tool_calls ?? []) {
    parts.push({
      type: "tool_call",
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments ?? "{}",
    });
  }
  return parts;
}

/** Text of string-or-parts content; assistant `refusal` parts count as text. */
function textOf(content: ChatMessageBody["content"], where?: string, dropped?: string[]): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  let text = "";
  content.forEach((part: JsonObject, index) => {
    const value = stringField(part, "text") ?? stringField(part, "refusal");
    if (value !== undefined) text += value;
    else if (where !== undefined)
      dropped?.push(`${where}.content[${index}] (${String(part["type"])})`);
  });
  return text;
}

function decodeTools(
  tools: ChatRequestBody["tools"],
  dropped: string[],
): CanonicalTool[] | undefined {
  if (tools === undefined) return undefined;
  const decoded: CanonicalTool[] = [];
  tools.forEach((tool, index) => {
    if (tool.type !== "function" || tool.function === undefined) {
      dropped.push(`tools[${index}] (${tool.type})`);
      return;
    }
    const canonical: CanonicalTool = {
      name: tool.function.name,
      parameters: tool.function.parameters ?? { type: "object", properties: {} },
    };
    if (tool.function.description !== undefined) canonical.description = tool.function.description;
    if (tool.function.strict != null) canonical.strict = tool.function.strict;
    decoded.push(canonical);
  });
  return decoded;
}

function decodeToolChoice(choice: ChatRequestBody["tool_choice"]): ToolChoice | undefined {
  if (choice === undefined || typeof choice === "string") return choice;
  return { name: choice.function.name };
}

function decodeResponseFormat(
  format: ChatRequestBody["response_format"],
): ResponseFormat | undefined {
  if (format === undefined) return undefined;
  if (format.type !== "json_schema") return { type: format.type };
  const schema = format.json_schema;
  if (schema === undefined) return { type: "json_object" };
  const decoded: ResponseFormat = {
    type: "json_schema",
    name: schema.name,
    schema: schema.schema ?? {},
  };
  if (schema.strict != null) decoded.strict = schema.strict;
  return decoded;
}
