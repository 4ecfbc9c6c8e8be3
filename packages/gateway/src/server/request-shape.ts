import { GatewayError, type WireFormat } from "@hedge/model-spec";
import type { RequestBody } from "./request-body.js";

/**
 * The least a request must be before it is routed and, on pass-through, forwarded as bytes:
 * `messages` an array (Chat Completions, Anthropic Messages), `input` a string or an array
 * (Responses). Reads only the kinds of top-level members, never their contents; deeper checks
 * are the provider's (pass-through) or the translation's.
 */
export function shapeError(wire: WireFormat, body: RequestBody): GatewayError | undefined {
  if (wire === "responses") {
    const input = body.kind("input");
    if (input === "string" || input === "array") return undefined;
    return invalid(
      input === undefined
        ? "the request has no input"
        : "input must be a string or an array of input items",
    );
  }
  const messages = body.kind("messages");
  if (messages === "array") return undefined;
  return invalid(
    messages === undefined
      ? "the request has no messages"
      : "messages must be an array of messages",
  );
}

function invalid(message: string): GatewayError {
  return new GatewayError("invalid_request", message, { status: 400 });
}
