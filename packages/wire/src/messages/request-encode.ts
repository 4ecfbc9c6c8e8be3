import type {
  CanonicalMessage,
  CanonicalRequest,
  ContentPart,
  ImagePart,
  ReasoningEffort,
  TextPart,
} from "@hedge/model-spec";
import { parseArguments, type JsonObject } from "../json.js";

/** Anthropic requires `max_tokens`; used when the client set none. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 8192;

const THINKING_BUDGET_BY_EFFORT: Record<ReasoningEffort, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
};

/**
 * Anthropic Messages body for an upstream: system hoisted (top-level plus any system
 * messages), consecutive same-role turns merged (tool results into one user turn, results
 * first), `tool_choice` `required` as `{type:"any"}`, `max_tokens` always present.
 */
export function encodeMessagesRequest(
  request: CanonicalRequest,
  upstreamModel: string,
): JsonObject {
  const systemTexts: string[] = request.system === undefined ? [] : [request.system];
  const messages: { role: "user" | "assistant"; content: JsonObject[] }[] = [];
  for (const message of request.messages) {
    if (message.role === "system") {
      systemTexts.push(joinText(message.content));
      continue;
    }
    const role = message.role === "assistant" ? "assistant" : "user";
    const blocks = encodeBlocks(message);
    if (blocks.length === 0) continue;
    const previous = messages[messages.length - 1];
    if (previous?.role === role) previous.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }
  for (const message of messages) {
    // Anthropic wants tool_result blocks before anything else in a user turn.
    if (message.role === "user") message.content.sort((a, b) => resultRank(a) - resultRank(b));
  }
  const formatInstruction = jsonInstruction(request);
  if (formatInstruction !== undefined) systemTexts.push(formatInstruction);

  const body: JsonObject = {
    model: upstreamModel,
    messages,
    max_tokens: request.max_tokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
    stream: request.stream,
  };
  if (systemTexts.length > 0) body["system"] = systemTexts.join("\n\n");
  const budget =
    request.reasoning?.budget_tokens ??
    (request.reasoning?.effort === undefined
      ? undefined
      : THINKING_BUDGET_BY_EFFORT[request.reasoning.effort]);
  if (budget !== undefined) {
    body["thinking"] = { type: "enabled", budget_tokens: budget };
    // max_tokens must exceed the thinking budget, or Anthropic rejects the request.
    if ((body["max_tokens"] as number) <= budget)
      body["max_tokens"] = budget + DEFAULT_ANTHROPIC_MAX_TOKENS;
  } else {
    // Thinking forbids sampling overrides; without it, clamp OpenAI's 0..2 range to 0..1.
    if (request.temperature !== undefined) body["temperature"] = Math.min(request.temperature, 1);
    if (request.top_p !== undefined) body["top_p"] = request.top_p;
  }
  if (request.stop !== undefined && request.stop.length > 0) body["stop_sequences"] = request.stop;
  if (request.tools !== undefined && request.tools.length > 0) {
    body["tools"] = request.tools.map((tool) => {
      const encoded: JsonObject = { name: tool.name, input_schema: tool.parameters };
      if (tool.description !== undefined) encoded["description"] = tool.description;
      return encoded;
    });
  }
  const toolChoice = encodeToolChoice(request, budget !== undefined);
  if (toolChoice !== undefined) body["tool_choice"] = toolChoice;
  if (request.metadata.user !== undefined) body["metadata"] = { user_id: request.metadata.user };
  return body;
}

function encodeToolChoice(request: CanonicalRequest, thinking: boolean): JsonObject | undefined {
  const choice = request.tool_choice;
  let encoded: JsonObject | undefined;
  if (choice === "auto" || choice === "none") encoded = { type: choice };
  // Thinking only allows auto/none; a forced choice falls back to auto rather than a 400.
  else if (choice === "required") encoded = { type: thinking ? "auto" : "any" };
  else if (choice !== undefined)
    encoded = thinking ? { type: "auto" } : { type: "tool", name: choice.name };
  if (request.parallel_tool_calls === false && choice !== "none") {
    encoded = { ...(encoded ?? { type: "auto" }), disable_parallel_tool_use: true };
  }
  return encoded;
}

function encodeBlocks(message: CanonicalMessage): JsonObject[] {
  const blocks: JsonObject[] = [];
  for (const part of message.content) {
    const block = encodeBlock(part);
    if (block !== undefined) blocks.push(block);
  }
  return blocks;
}

function encodeBlock(part: ContentPart): JsonObject | undefined {
  switch (part.type) {
    case "text":
      // Anthropic rejects empty text blocks.
      return part.text.length > 0 ? { type: "text", text: part.text } : undefined;
    case "image":
      return encodeImage(part);
    case "tool_call":
      return {
        type: "tool_use",
        id: part.id,
        name: part.name,
        input: parseArguments(part.arguments),
      };
    case "tool_result": {
      const block: JsonObject = {
        type: "tool_result",
        tool_use_id: part.call_id,
        content:
          typeof part.content === "string"
            ? part.content
            : part.content.map((item) =>
                item.type === "text" ? { type: "text", text: item.text } : encodeImage(item),
              ),
      };
      if (part.is_error === true) block["is_error"] = true;
      return block;
    }
    case "reasoning":
      // Only signed thinking (from an Anthropic response) can be replayed to Anthropic.
      return part.signature === undefined
        ? undefined
        : { type: "thinking", thinking: part.text, signature: part.signature };
  }
}

function encodeImage(part: ImagePart): JsonObject {
  const source = part.source;
  return {
    type: "image",
    source:
      source.kind === "url"
        ? { type: "url", url: source.url }
        : { type: "base64", media_type: source.media_type, data: source.data },
  };
}

function resultRank(block: JsonObject): number {
  return block["type"] === "tool_result" ? 0 : 1;
}

function joinText(content: readonly (ContentPart | TextPart)[]): string {
  let text = "";
  for (const part of content) if (part.type === "text") text += part.text;
  return text;
}

/** Anthropic has no response_format; a JSON answer is asked for in the system prompt. */
function jsonInstruction(request: CanonicalRequest): string | undefined {
  const format = request.response_format;
  if (format === undefined || format.type === "text") return undefined;
  if (format.type === "json_object") return "Respond with a single JSON object and nothing else.";
  return `Respond with a single JSON value that conforms to this JSON Schema (${format.name}) and nothing else:\n${JSON.stringify(format.schema)}`;
}
