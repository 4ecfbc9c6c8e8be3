import type { CanonicalError, CanonicalUsage, FinishReason } from "@hedge/model-spec";
import type { JsonObject } from "../json.js";
import { encodeResponsesUsage } from "./usage.js";

/** Status and details of a Responses `response` object for a canonical finish reason. */
export function responseStatus(reason: FinishReason | undefined): {
  status: "in_progress" | "completed" | "incomplete" | "failed";
  incomplete_details: { reason: string } | null;
} {
  switch (reason) {
    case undefined:
      return { status: "in_progress", incomplete_details: null };
    case "length":
      return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
    case "content_filter":
      return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
    case "error":
      return { status: "failed", incomplete_details: null };
    default:
      return { status: "completed", incomplete_details: null };
  }
}

/** A Responses `response` object with the fields clients and the official SDK read. */
export function responseObject(fields: {
  id: string;
  model: string;
  createdAt: number;
  reason: FinishReason | undefined;
  output: JsonObject[];
  usage: CanonicalUsage | undefined;
  error?: CanonicalError;
}): JsonObject {
  const { status, incomplete_details } = responseStatus(fields.reason);
  let outputText = "";
  for (const item of fields.output) {
    if (item["type"] !== "message" || !Array.isArray(item["content"])) continue;
    for (const part of item["content"] as JsonObject[]) {
      if (part["type"] === "output_text" && typeof part["text"] === "string")
        outputText += part["text"];
    }
  }
  return {
    id: fields.id,
    object: "response",
    created_at: fields.createdAt,
    status,
    error:
      fields.error === undefined
        ? null
        : { code: fields.error.type, message: fields.error.message },
    incomplete_details,
    instructions: null,
    max_output_tokens: null,
    model: fields.model,
    output: fields.output,
    output_text: outputText,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: null,
    truncation: "disabled",
    usage: fields.usage === undefined ? null : encodeResponsesUsage(fields.usage),
    metadata: {},
  };
}
