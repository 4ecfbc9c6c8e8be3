import { isJsonObject } from "../json.js";

/**
 * Anthropic thinking carried through a Responses client inside `encrypted_content`.
 *
 * A Responses client such as Codex CLI (`store: false`) keeps no reasoning of its own: it replays
 * each reasoning item with the `encrypted_content` it was given. When the model behind the
 * gateway is an Anthropic one with thinking enabled, Anthropic requires the signed thinking
 * block back before a `tool_use` on the next request, byte for byte. The gateway therefore puts
 * the thinking text and its signature into `encrypted_content` (opaque to clients by contract)
 * and restores them when the item comes back. The marker keeps it apart from OpenAI's own
 * encrypted reasoning, which is replayed only to an OpenAI Responses upstream.
 */
const MARKER = "hedge.anthropic-thinking.v1:";

/** Thinking text and Anthropic signature as a Responses `encrypted_content` value. */
export function wrapAnthropicThinking(thinking: string, signature: string): string {
  return MARKER + Buffer.from(JSON.stringify({ thinking, signature })).toString("base64url");
}

/**
 * The `encrypted_content` of a reasoning item: OpenAI's own encrypted reasoning as it came, else
 * Anthropic thinking wrapped when it has a signature, else none. The JSON answer and the stream
 * both build it here, so they carry thinking alike.
 */
export function reasoningEncryptedContent(reasoning: {
  text: string;
  encrypted?: string | undefined;
  signature?: string | undefined;
}): string | undefined {
  if (reasoning.encrypted !== undefined) return reasoning.encrypted;
  return reasoning.signature === undefined
    ? undefined
    : wrapAnthropicThinking(reasoning.text, reasoning.signature);
}

/** The thinking and signature inside a value made by `wrapAnthropicThinking`, else undefined. */
export function unwrapAnthropicThinking(
  encrypted: string,
): { thinking: string; signature: string } | undefined {
  if (!encrypted.startsWith(MARKER)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encrypted.slice(MARKER.length), "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  const { thinking, signature } = value;
  return typeof thinking === "string" && typeof signature === "string"
    ? { thinking, signature }
    : undefined;
}
