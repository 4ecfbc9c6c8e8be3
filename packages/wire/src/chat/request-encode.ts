import type { CanonicalMessage, CanonicalRequest, TextPart } from "@hedge/model-spec";
import { toolResultText } from "../content.js";
import { imageSourceToUrl } from "../images.js";
import type { JsonObject } from "../json.js";

/**
 * Chat Completions body for an upstream. Uses `max_tokens` (what OpenAI-compatible servers
 * accept) and always asks for a usage chunk when streaming, for accounting.
 */
export function encodeChatRequest(request: CanonicalRequest, upstreamModel: string): JsonObject {
  const messages: JsonObject[] = [];
  if (request.system !== undefined) messages.push({ role: "system", content: request.system });
  for (const message of request.messages) encodeMessage(message, messages);
  const body: JsonObject = { model: upstreamModel, messages, stream: request.stream };
  if (request.stream) body["stream_options"] = { include_usage: true };
  if (request.tools !== undefined && request.tools.length > 0) {
    body["tools"] = request.tools.map((tool) => {
      const fn: JsonObject = { name: tool.name, parameters: tool.parameters };
      if (tool.description !== undefined) fn["description"] = tool.description;
      if (tool.strict !== undefined) fn["strict"] = tool.strict;
      return { type: "function", function: fn };
    });
    if (request.parallel_tool_calls !== undefined) {
      body["parallel_tool_calls"] = request.parallel_tool_calls;
    }
  }
  if (request.tool_choice !== undefined) {
    body["tool_choice"] =
      typeof request.tool_choice === "string"
        ? request.tool_choice
        : { type: "function", function: { name: request.tool_choice.name } };
  }
  const format = request.response_format;
  if (format !== undefined) {
    body["response_format"] =
      format.type === "json_schema"
        ? {
            type: "json_schema",
            json_schema: {
              name: format.name,
              schema: format.schema,
              strict: format.strict ?? false,
            },
          }
        : { type: format.type };
  }
  if (request.max_tokens !== undefined) body["max_tokens"] = request.max_tokens;
  if (request.temperature !== undefined) body["temperature"] = request.temperature;
  if (request.top_p !== undefined) body["top_p"] = request.top_p;
  if (request.stop !== undefined && request.stop.length > 0) body["stop"] = request.stop;
  if (request.reasoning?.effort !== undefined) body["reasoning_effort"] = request.reasoning.effort;
  return body;
}

function encodeMessage(message: CanonicalMessage, out: JsonObject[]): void {
  switch (message.role) {
    case "system":
      out.push({ role: "system", content: joinText(message.content) });
      return;
    case "user":
      out.push({ role: "user", content: encodeUserContent(message.content) });
      return;
    case "assistant": {
      const toolCalls: JsonObject[] = [];
      for (const part of message.content) {
        if (part.type !== "tool_call") continue;
        toolCalls.push({
          id: part.id,
          type: "function",
          function: { name: part.name, arguments: part.arguments },
        });
      }
      // Reasoning is not replayed: compatible servers (DeepSeek) reject `reasoning_content` input.
      const text = joinText(message.content);
      const encoded: JsonObject = { role: "assistant", content: text.length > 0 ? text : null };
      if (toolCalls.length > 0) encoded["tool_calls"] = toolCalls;
      out.push(encoded);
      return;
    }
    case "tool":
      for (const part of message.content) {
        if (part.type === "tool_result") {
          out.push({ role: "tool", tool_call_id: part.call_id, content: toolResultText(part) });
        }
      }
      return;
  }
}

function encodeUserContent(content: CanonicalMessage["content"]): string | JsonObject[] {
  const hasImage = content.some((part) => part.type === "image");
  if (!hasImage) return joinText(content);
  const parts: JsonObject[] = [];
  for (const part of content) {
    if (part.type === "text") parts.push({ type: "text", text: part.text });
    else if (part.type === "image") {
      parts.push({ type: "image_url", image_url: { url: imageSourceToUrl(part.source) } });
    }
  }
  return parts;
}

function joinText(content: readonly (CanonicalMessage["content"][number] | TextPart)[]): string {
  let text = "";
  for (const part of content) if (part.type === "text") text += part.text;
  return text;
}
