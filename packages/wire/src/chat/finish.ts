import type { FinishReason } from "@hedge/model-spec";

/** Canonical finish reason of a Chat `finish_reason`. */
export function decodeChatFinishReason(reason: string): FinishReason {
  switch (reason) {
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    case "content_filter":
      return "content_filter";
    case "error":
      return "error";
    default:
      return "stop";
  }
}

/** Chat `finish_reason` of a canonical finish reason. Chat has no `error`; it ends as `stop`. */
export function encodeChatFinishReason(reason: FinishReason): string {
  return reason === "error" ? "stop" : reason;
}
