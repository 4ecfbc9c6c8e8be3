import type { CanonicalUsage } from "@hedge/model-spec";
import { numberField, objectField, type JsonObject } from "../json.js";

/** Canonical usage of a Responses `usage` object. */
export function decodeResponsesUsage(usage: JsonObject): CanonicalUsage {
  return {
    input_tokens: numberField(usage, "input_tokens") ?? 0,
    output_tokens: numberField(usage, "output_tokens") ?? 0,
    cached_input_tokens:
      numberField(objectField(usage, "input_tokens_details"), "cached_tokens") ?? 0,
    reasoning_tokens:
      numberField(objectField(usage, "output_tokens_details"), "reasoning_tokens") ?? 0,
  };
}

/** Responses `usage` object of canonical usage. */
export function encodeResponsesUsage(usage: CanonicalUsage): JsonObject {
  return {
    input_tokens: usage.input_tokens,
    input_tokens_details: { cached_tokens: usage.cached_input_tokens },
    output_tokens: usage.output_tokens,
    output_tokens_details: { reasoning_tokens: usage.reasoning_tokens },
    total_tokens: usage.input_tokens + usage.output_tokens,
  };
}
