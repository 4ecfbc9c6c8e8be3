import type { CanonicalRequest, CanonicalTool } from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { McpStatus } from "@hedge/core";

/** The longest a whole count may take (the gateway gives its provider 5 s per call). */
const COUNT_WAIT_MS = 6_000;

/** What counting needs: the client, and the secrets to keep out of a notice. */
export interface CountSource {
  client: Pick<ModelClient, "countTokens">;
  secrets: readonly string[];
}

/**
 * `status` with each ready server's tokens counted by the provider `status.model` routes to
 * (Anthropic's `count_tokens`): a request with only that server's tools minus the same request
 * without tools, so Anthropic's fixed tool-use preamble is in every server's number. A provider
 * without a count endpoint leaves the estimate; a count that fails or is slow leaves it too, with
 * a notice (no secret in it). The executor's budget stays on the estimate, as a session's does.
 */
export async function withProviderCount(
  status: McpStatus,
  toolsByServer: ReadonlyMap<string, readonly CanonicalTool[]>,
  source: CountSource,
): Promise<McpStatus> {
  const counted = status.servers.filter(
    (server) => server.status === "ready" && (toolsByServer.get(server.name)?.length ?? 0) > 0,
  );
  if (counted.length === 0) return status;
  const signal = AbortSignal.timeout(COUNT_WAIT_MS);
  const request = (tools: readonly CanonicalTool[]): CanonicalRequest => ({
    model: status.model,
    messages: [{ role: "user", content: [{ type: "text", text: "." }] }],
    ...(tools.length ? { tools: [...tools], tool_choice: "auto" as const } : {}),
    stream: false,
    metadata: { role: "executor" },
    dropped: [],
  });
  try {
    const baseline = await source.client.countTokens(request([]), { signal });
    if (baseline === null) return status;
    const withTools = await Promise.all(
      counted.map((server) =>
        source.client.countTokens(request(toolsByServer.get(server.name) ?? []), { signal }),
      ),
    );
    const tokens = new Map(
      counted.map((server, index) => [
        server.name,
        Math.max(0, (withTools[index]?.inputTokens ?? baseline.inputTokens) - baseline.inputTokens),
      ]),
    );
    const pct = (value: number): number => Math.round((value / status.contextWindow) * 1000) / 10;
    return {
      ...status,
      count: {
        method: "provider",
        provider: baseline.provider,
        detail: `counted by ${baseline.provider}; top tools and the lazy-tools budget: estimate (${status.count.detail})`,
      },
      servers: status.servers.map((server) => {
        const count = tokens.get(server.name);
        return count === undefined
          ? server
          : { ...server, tokens: count, estimatedTokens: server.tokens, pct: pct(count) };
      }),
    };
  } catch (error) {
    const why = signal.aborted
      ? `no answer in ${COUNT_WAIT_MS / 1000} s`
      : error instanceof Error
        ? error.message
        : String(error);
    return {
      ...status,
      count: {
        ...status.count,
        notice: redact(`the provider's count failed (${why})`, source.secrets),
      },
    };
  }
}

function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (secret.length >= 8) clean = clean.split(secret).join("[redacted]");
  }
  return clean;
}
