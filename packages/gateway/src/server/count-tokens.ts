import { estimateInputTokens } from "../usage/estimate.js";
import { decodeMessagesRequest } from "@hedge/wire";

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
