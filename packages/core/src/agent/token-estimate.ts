import type { CanonicalMessage, ContentPart } from "@hedge/model-spec";

/** The estimate's characters per token. */
export const CHARS_PER_TOKEN = 4;
/**
 * Tokens counted for an image, as the gateway's token count does: about what Anthropic charges
 * for a large one. Its base64 bytes say nothing about its tokens.
 */
const TOKENS_PER_IMAGE = 1600;

/**
 * A rough token estimate (about 4 characters a token, a flat cost per image) that needs no
 * tokenizer.
 */
export function estimateTokens(messages: readonly CanonicalMessage[]): number {
  let characters = 0;
  let images = 0;
  const count = (parts: readonly ContentPart[]): void => {
    for (const part of parts) {
      if (part.type === "image") images += 1;
      else if (part.type === "tool_result" && typeof part.content !== "string") {
        characters += JSON.stringify({ ...part, content: [] }).length;
        count(part.content);
      } else characters += JSON.stringify(part).length;
    }
  };
  for (const message of messages) count(message.content);
  return Math.ceil(characters / CHARS_PER_TOKEN) + images * TOKENS_PER_IMAGE;
}
