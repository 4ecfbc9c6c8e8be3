import { GatewayError, type WireFormat } from "@hedge/model-spec";

/**
 * The least a request must be before it is routed and, on pass-through, forwarded as bytes:
 * `messages` an array (Chat Completions, Anthropic Messages), `input` a string or an array
 * (Responses). Reads only top-level fields of the body already parsed; deeper checks are the
 * provider's (pass-through) or the translation's.
 */
export function shapeError(
  wire: WireFormat,
  body: Record<string, unknown>,
): GatewayError | undefined {
  if (wire === "responses") {
    const input = body["input"];
    if (typeof input === "string" || Array.isArray(input)) return undefined;
    return invalid(
      input === undefined
        ? "the request has no input"
        : "input must be a string or an array of input items",
    );
  }
  if (Array.isArray(body["messages"])) return undefined;
  return invalid(
    body["messages"] === undefined
      ? "the request has no messages"
      : "messages must be an array of messages",
  );
}

function invalid(message: string): GatewayError {
  return new GatewayError("invalid_request", message, { status: 400 });
}
