import type { CanonicalRequest, ContentPart } from "@hedge/model-spec";

// About four characters a token for English and code; close enough to decide whether a request
// fits in what a window has left (corrected by the real usage afterwards) and to answer
// `count_tokens` without a model call.
const CHARS_PER_TOKEN = 4;
/** Tokens counted for an image: about what Anthropic charges for a large one. */
const TOKENS_PER_IMAGE = 1600;

/**
 * Estimated input tokens of a canonical request (system prompt, messages, tool definitions, a
 * flat cost per image); at least 1.
 */
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

/** Tokens a canonical request will likely use: its prompt plus the output it asks room for. */
export function estimateRequestTokens(request: CanonicalRequest): number {
  return estimateInputTokens(request) + (request.max_tokens ?? 0);
}

/** The same for a wire body of `bytes` bytes asking for at most `maxTokens` of output. */
export function estimateBodyTokens(bytes: number, maxTokens: unknown): number {
  const output = typeof maxTokens === "number" && Number.isFinite(maxTokens) ? maxTokens : 0;
  return Math.ceil(Math.max(0, bytes) / CHARS_PER_TOKEN) + Math.max(0, output);
}
