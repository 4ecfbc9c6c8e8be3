/** Anthropic's token counting path, as the scripted upstream serves it. */
export const COUNT_TOKENS_PATH = "/v1/messages/count_tokens";

/**
 * The scripted upstream's answer to `POST /v1/messages/count_tokens`: Anthropic's exact shape,
 * `{ "input_tokens": n }`, with n deterministic so tests can compute it: one token per started
 * four characters of the JSON of `{ system, messages, tools }` (absent fields left out).
 */
export function scriptedTokenCount(body: Record<string, unknown>): { input_tokens: number } {
  const counted = {
    ...(body["system"] === undefined ? {} : { system: body["system"] }),
    messages: body["messages"],
    ...(body["tools"] === undefined ? {} : { tools: body["tools"] }),
  };
  return { input_tokens: Math.ceil(JSON.stringify(counted).length / 4) };
}
