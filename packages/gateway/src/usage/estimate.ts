import type { CanonicalRequest } from "../canonical/request.js";

// About four characters a token for English and code; close enough to decide whether a request
// fits in what a window has left, and corrected by the real usage afterwards.
const CHARS_PER_TOKEN = 4;

/** Tokens a canonical request will likely use: its prompt plus the output it asks room for. */
export function estimateRequestTokens(request: CanonicalRequest): number {
  let characters = request.system?.length ?? 0;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === "text" || part.type === "reasoning") characters += part.text.length;
      else if (part.type === "tool_call") characters += part.arguments.length + part.name.length;
      else if (part.type === "tool_result")
        characters +=
          typeof part.content === "string"
            ? part.content.length
            : JSON.stringify(part.content).length;
      else characters += 1_000;
    }
  }
  for (const tool of request.tools ?? []) characters += JSON.stringify(tool).length;
  return Math.ceil(characters / CHARS_PER_TOKEN) + (request.max_tokens ?? 0);
}

/** The same for a wire body of `bytes` bytes asking for at most `maxTokens` of output. */
export function estimateBodyTokens(bytes: number, maxTokens: unknown): number {
  const output = typeof maxTokens === "number" && Number.isFinite(maxTokens) ? maxTokens : 0;
  return Math.ceil(Math.max(0, bytes) / CHARS_PER_TOKEN) + Math.max(0, output);
}
