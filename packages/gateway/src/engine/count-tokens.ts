import { GatewayError, type CanonicalRequest, type TokenCountView } from "@hedge/model-spec";
import { codecFor } from "@hedge/wire";
import type { Attempt } from "./route.js";
import { addAuthHeaders } from "./upstream.js";

/** How long a provider's count may take: a count is advice, and callers fall back to estimates. */
export const COUNT_TIMEOUT_MS = 5_000;

/** The fields Anthropic's count endpoint accepts (it refuses `max_tokens`, `stream`, ...). */
const COUNTED_FIELDS = ["model", "system", "messages", "tools", "tool_choice", "thinking"];

/** What a route's provider counts a request as, or null when its wire has no count endpoint. */
export type TokenCount = TokenCountView["count"];

/**
 * Asks the provider of `attempt` to count `request`'s input tokens with the route's credential:
 * Anthropic Messages routes call `POST {base_url}/messages/count_tokens`; other wires have no
 * count endpoint (null). Throws a GatewayError naming the provider and the status on a failure
 * or after COUNT_TIMEOUT_MS, never quoting the answer (a peer could echo the key back).
 */
export async function countWithProvider(
  attempt: Attempt,
  request: CanonicalRequest,
  signal?: AbortSignal,
): Promise<TokenCount> {
  const { provider } = attempt;
  if (provider.wire !== "messages") return null;
  const encoded = codecFor("messages").encodeRequest(
    { ...request, stream: false },
    attempt.upstreamModel,
  );
  const body = Object.fromEntries(
    COUNTED_FIELDS.filter((field) => encoded[field] !== undefined).map((field) => [
      field,
      encoded[field],
    ]),
  );
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    ...provider.headers,
  };
  addAuthHeaders(headers, "messages", attempt.credential.secret);
  const timeout = AbortSignal.timeout(COUNT_TIMEOUT_MS);
  const failed = (why: string): GatewayError =>
    new GatewayError("count_failed", `${provider.id} could not count tokens: ${why}`, {
      status: 502,
      hint: "the estimate is used instead",
    });
  let response: Response;
  try {
    response = await fetch(`${provider.baseUrl}/messages/count_tokens`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch {
    throw failed(timeout.aborted ? `no answer in ${COUNT_TIMEOUT_MS / 1000} s` : "unreachable");
  }
  let answer: unknown;
  try {
    answer = response.ok ? await response.json() : await response.body?.cancel();
  } catch {
    answer = undefined;
  }
  if (!response.ok) throw failed(`answered ${response.status}`);
  const tokens = (answer as { input_tokens?: unknown } | null | undefined)?.input_tokens;
  if (typeof tokens !== "number" || !Number.isInteger(tokens) || tokens < 0) {
    throw failed("the answer has no input_tokens");
  }
  return { inputTokens: tokens, provider: provider.id, model: attempt.upstreamModel };
}
