import type { CanonicalMessage, CanonicalRequest, ReasoningEffort } from "@hedge/model-spec";
import { imageSourceToUrl } from "../images.js";
import type { JsonObject } from "../json.js";
import { toolResultText } from "../content.js";

/**
 * Responses body for an upstream: stateless (`store: false`), so reasoning is replayed from
 * `encrypted_content`, which is requested whenever reasoning is configured.
 */
export function encodeResponsesRequest(
  request: CanonicalRequest,
  upstreamModel: string,
): JsonObject {
  const input: JsonObject[] = [];
  for (const message of request.messages) encodeMessage(message, input);
  const body: JsonObject = { model: upstreamModel, input, stream: request.stream, store: false };
  if (request.system !== undefined) body["instructions"] = request.system;
  if (request.tools !== undefined && request.tools.length > 0) {
    body["tools"] = request.tools.map((tool) => {
      // Explicit strict: when omitted, OpenAI may enforce strict schemas clients never wrote for.
      const encoded: JsonObject = {
        type: "function",
        name: tool.name,
        parameters: tool.parameters,
        strict: tool.strict ?? false,
      };
      if (tool.description !== undefined) encoded["description"] = tool.description;
      return encoded;
    });
    if (request.parallel_tool_calls !== undefined)
      body["parallel_tool_calls"] = request.parallel_tool_calls;
  }
  if (request.tool_choice !== undefined) {
    body["tool_choice"] =
      typeof request.tool_choice === "string"
        ? request.tool_choice
        : { type: "function", name: request.tool_choice.name };
  }
  const format = request.response_format;
  if (format !== undefined) {
    body["text"] = {
      format:
        format.type === "json_schema"
          ? {
              type: "json_schema",
              name: format.name,
              schema: format.schema,
              strict: format.strict ?? false,
            }
          : { type: format.type },
    };
  }
  if (request.max_tokens !== undefined) body["max_output_tokens"] = request.max_tokens;
  if (request.temperature !== undefined) body["temperature"] = request.temperature;
  if (request.top_p !== undefined) body["top_p"] = request.top_p;
  const effort = request.reasoning?.effort ?? effortOfBudget(request.reasoning?.budget_tokens);
  if (effort !== undefined) {
    const reasoning: JsonObject = { effort, summary: request.reasoning?.summary ?? "auto" };
    body["reasoning"] = reasoning;
    body["include"] = ["reasoning.encrypted_content"];
  }
  if (request.metadata.session_id !== undefined)
    body["prompt_cache_key"] = request.metadata.session_id;
  // Responses has no stop sequences; they are not sent.
  return body;
}

function effortOfBudget(budget: number | undefined): ReasoningEffort | undefined {
  if (budget === undefined) return undefined;
  if (budget <= 2048) return "low";
  return budget <= 8192 ? "medium" : "high";
}

function encodeMessage(message: CanonicalMessage, input: JsonObject[]): void {
  if (message.role === "assistant") {
    let text = "";
    const flushText = (): void => {
      if (text.length === 0) return;
      input.push({
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      });
      text = "";
    };
    for (const part of message.content) {
      if (part.type === "text") text += part.text;
      else if (part.type === "tool_call") {
        flushText();
        input.push({
          type: "function_call",
          call_id: part.id,
          name: part.name,
          arguments: part.arguments,
        });
      } else if (part.type === "reasoning" && part.encrypted_content !== undefined) {
        // Only OpenAI's own encrypted reasoning can be replayed; other reasoning is dropped.
        flushText();
        const item: JsonObject = {
          type: "reasoning",
          summary: part.text.length > 0 ? [{ type: "summary_text", text: part.text }] : [],
          encrypted_content: part.encrypted_content,
        };
        if (part.id !== undefined) item["id"] = part.id;
        input.push(item);
      }
    }
    flushText();
    return;
  }
  if (message.role === "tool") {
    for (const part of message.content) {
      if (part.type === "tool_result") {
        input.push({
          type: "function_call_output",
          call_id: part.call_id,
          output: toolResultText(part),
        });
      }
    }
    return;
  }
  const content: JsonObject[] = [];
  for (const part of message.content) {
    if (part.type === "text") content.push({ type: "input_text", text: part.text });
    else if (part.type === "image")
      content.push({
        type: "input_image",
        image_url: imageSourceToUrl(part.source),
        detail: "auto",
      });
  }
  input.push({ type: "message", role: message.role === "system" ? "developer" : "user", content });
}
