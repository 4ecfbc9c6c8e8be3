import type { CanonicalUsage } from "@hedge/model-spec";
import { numberField, objectField, type JsonObject } from "../json.js";

/** Canonical usage of a Chat `usage` object. */
export function decodeChatUsage(usage: JsonObject): CanonicalUsage {
  return {
    input_tokens: numberField(usage, "prompt_tokens") ?? 0,
    output_tokens: numberField(usage, "completion_tokens") ?? 0,
    cached_input_tokens:
      numberField(objectField(usage, "prompt_tokens_details"), "cached_tokens") ??
      // DeepSeek reports cache hits at the top level.
      numberField(usage, "prompt_cache_hit_tokens") ??
      0,
    reasoning_tokens:
      numberField(objectField(usage, "completion_tokens_details"), "reasoning_tokens") ?? 0,
  };
}

/** Chat `usage` object of canonical usage. */
export function encodeChatUsage(usage: CanonicalUsage): JsonObject {
  return {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.input_tokens + usage.output_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_input_tokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoning_tokens },
  };
}
