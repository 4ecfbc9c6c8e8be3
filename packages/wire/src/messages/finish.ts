import type { FinishReason } from "@hedge/model-spec";

/** Canonical finish reason of an Anthropic `stop_reason`. */
export function decodeMessagesStopReason(reason: string): FinishReason {
  switch (reason) {
    case "tool_use":
      return "tool_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn
      return "stop";
  }
}

/** Anthropic `stop_reason` of a canonical finish reason. */
export function encodeMessagesStopReason(reason: FinishReason): string {
  switch (reason) {
    case "tool_calls":
      return "tool_use";
    case "length":
      return "max_tokens";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
