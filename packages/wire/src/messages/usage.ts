import type { CanonicalUsage } from "@hedge/model-spec";
import { numberField, type JsonObject } from "../json.js";

/**
 * Merge an Anthropic `usage` object into canonical usage. Anthropic counts cache reads and
 * writes apart from `input_tokens`; canonical input counts all of them, cache reads as cached.
 * Absent fields keep their previous value (message_delta usage may omit input counts).
 */
export function mergeMessagesUsage(previous: CanonicalUsage, usage: JsonObject): CanonicalUsage {
  const uncached = numberField(usage, "input_tokens");
  const cacheRead = numberField(usage, "cache_read_input_tokens");
  const cacheWrite = numberField(usage, "cache_creation_input_tokens");
  const hasInput = uncached !== undefined || cacheRead !== undefined || cacheWrite !== undefined;
  return {
    input_tokens: hasInput
      ? (uncached ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0)
      : previous.input_tokens,
    output_tokens: numberField(usage, "output_tokens") ?? previous.output_tokens,
    cached_input_tokens: hasInput ? (cacheRead ?? 0) : previous.cached_input_tokens,
    // Anthropic does not break out thinking tokens; they are part of output_tokens.
    reasoning_tokens: previous.reasoning_tokens,
  };
}

/** Anthropic `usage` object of canonical usage. */
export function encodeMessagesUsage(usage: CanonicalUsage): JsonObject {
  return {
    input_tokens: usage.input_tokens - usage.cached_input_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cached_input_tokens,
    output_tokens: usage.output_tokens,
  };
}
