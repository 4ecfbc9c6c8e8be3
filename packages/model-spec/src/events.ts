/** Why generation stopped. */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error";

/**
 * Token counts of one response. `input_tokens` counts every input token, cached ones included;
 * `cached_input_tokens` and `reasoning_tokens` are subsets of input and output respectively.
 */
export interface CanonicalUsage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  reasoning_tokens: number;
}

/** A failure reported by the upstream (or the gateway) inside or instead of a response. */
export interface CanonicalError {
  /** HTTP status the failure corresponds to, when known. */
  status?: number;
  /** Wire error type, e.g. `rate_limit_error`, `server_error`, `overloaded_error`. */
  type: string;
  message: string;
}

/**
 * One event of a provider-neutral response stream, discriminated on `type`.
 *
 * Order contract every stream decoder keeps: `response.start` first; `tool_call.start`,
 * `tool_call.delta`* and `tool_call.end` per call with indexes dense from 0; `usage` (a
 * cumulative snapshot: the last one wins) before `finish`; `finish` or `error` last.
 */
export type CanonicalEvent =
  | { type: "response.start"; id: string; model: string }
  | { type: "text.delta"; text: string }
  | {
      type: "reasoning.delta";
      text: string;
      /** Anthropic thinking signature for the current thinking block, once known. */
      signature?: string;
      /** OpenAI Responses encrypted reasoning, once known. */
      encrypted_content?: string;
    }
  | { type: "tool_call.start"; index: number; id: string; name: string }
  | { type: "tool_call.delta"; index: number; arguments: string }
  | { type: "tool_call.end"; index: number; arguments: string }
  | { type: "usage"; usage: CanonicalUsage }
  | { type: "finish"; reason: FinishReason }
  | { type: "error"; error: CanonicalError };

/** The `type` of every canonical event. */
export type CanonicalEventType = CanonicalEvent["type"];

/** Usage with every count zero; a starting point for accumulation. */
export function emptyUsage(): CanonicalUsage {
  return { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, reasoning_tokens: 0 };
}
