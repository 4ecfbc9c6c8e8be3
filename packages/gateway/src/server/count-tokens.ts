import type { CanonicalRequest, ContentPart } from "../canonical/request.js";
import { decodeMessagesRequest } from "../wire/messages/request-decode.js";

/** Characters per token of the estimate: the usual rule of thumb for English text and code. */
const CHARS_PER_TOKEN = 4;
/** Tokens counted for an image: about what Anthropic charges for a large one. */
const TOKENS_PER_IMAGE = 1600;

/**
 * `POST /v1/messages/count_tokens` for clients such as Claude Code. The gateway does not ask
 * the upstream (it may not speak Anthropic, and a count must not cost a model call): it decodes
 * the body like a Messages request and estimates about four characters a token over the system
 * prompt, the messages and the tool definitions, plus a flat cost per image. The answer has
 * Anthropic's shape, `{ "input_tokens": n }`; throws `WireDecodeError` (400) for a bad body.
 */
export function countTokensBody(body: unknown): { input_tokens: number } {
  return { input_tokens: estimateInputTokens(decodeMessagesRequest(body)) };
}

/** Estimated input tokens of a canonical request; at least 1. */
export function estimateInputTokens(request: CanonicalRequest): number {
  let characters = request.system?.length ?? 0;
  let images = 0;
  const countPart = (part: ContentPart): void => {
    switch (part.type) {
      case "text":
      case "reasoning":
        characters += part.text.length;
        return;
      case "image":
        images += 1;
        return;
      case "tool_call":
        characters += part.name.length + part.arguments.length;
        return;
      case "tool_result":
        if (typeof part.content === "string") characters += part.content.length;
        else part.content.forEach(countPart);
        return;
    }
  };
  for (const message of request.messages) message.content.forEach(countPart);
  for (const tool of request.tools ?? []) {
    characters += tool.name.length + (tool.description?.length ?? 0);
    characters += JSON.stringify(tool.parameters).length;
  }
  return Math.max(1, Math.ceil(characters / CHARS_PER_TOKEN) + images * TOKENS_PER_IMAGE);
}
