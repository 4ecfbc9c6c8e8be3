import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anthropicRateLimitHeaders,
  codexRateLimitHeaders,
  formatOpenAiDuration,
  openAiRateLimitHeaders,
  startScriptedUpstream,
  type ScriptedUpstream,
} from "../src/index.js";
import { anthropicClient, openAiClient } from "./clients.js";

describe("rate-limit header helpers", () => {
  it("formats OpenAI reset durations as the API does", () => {
    expect(formatOpenAiDuration(12)).toBe("12ms");
    expect(formatOpenAiDuration(1500)).toBe("1.5s");
    expect(formatOpenAiDuration(360_000)).toBe("6m0s");
    expect(formatOpenAiDuration(3_723_000)).toBe("1h2m3s");
  });

  it("builds Anthropic per-limit and unified headers", () => {
    const reset = new Date("2026-03-01T12:00:00.000Z");
    const headers = anthropicRateLimitHeaders({
      inputTokens: { limit: 400_000, remaining: 1000, reset },
      unified: {
        status: "allowed_warning",
        fiveHourUtilization: 0.91,
        sevenDayUtilization: 0.4,
        reset,
      },
    });
    expect(headers).toMatchObject({
      "anthropic-ratelimit-input-tokens-limit": "400000",
      "anthropic-ratelimit-input-tokens-remaining": "1000",
      "anthropic-ratelimit-input-tokens-reset": "2026-03-01T12:00:00Z",
      "anthropic-ratelimit-unified-status": "allowed_warning",
      "anthropic-ratelimit-unified-5h-utilization": "0.91",
      "anthropic-ratelimit-unified-7d-utilization": "0.4",
      "anthropic-ratelimit-unified-reset": String(reset.getTime() / 1000),
    });
  });

  describe("as clients receive them", () => {
    let upstream: ScriptedUpstream;
    beforeAll(async () => {
      upstream = await startScriptedUpstream();
    });
    afterAll(() => upstream.close());

    it("reach the openai client with a successful reply", async () => {
      const headers = {
        ...openAiRateLimitHeaders({
          requests: { limit: 500, remaining: 499, resetMs: 120 },
          tokens: { limit: 30_000, remaining: 0, resetMs: 360_000 },
        }),
        ...codexRateLimitHeaders({
          primary: { usedPercent: 87, windowMinutes: 300, resetAt: new Date(1_767_225_600_000) },
          secondary: {
            usedPercent: 20,
            windowMinutes: 10_080,
            resetAt: new Date(1_767_830_400_000),
          },
        }),
      };
      upstream.push({ text: "ok", headers });
      const { response } = await openAiClient(upstream)
        .responses.create({ model: "gpt-5-codex", input: "x" })
        .withResponse();
      expect(response.headers.get("x-ratelimit-reset-requests")).toBe("120ms");
      expect(response.headers.get("x-ratelimit-reset-tokens")).toBe("6m0s");
      expect(response.headers.get("x-codex-primary-used-percent")).toBe("87");
      expect(response.headers.get("x-codex-secondary-window-minutes")).toBe("10080");
      expect(response.headers.get("x-codex-primary-reset-at")).toBe("1767225600");
    });

    it("reach the anthropic client on a streamed reply", async () => {
      const reset = new Date(Date.now() + 60_000);
      upstream.push({
        text: "ok",
        headers: anthropicRateLimitHeaders({ requests: { limit: 50, remaining: 3, reset } }),
      });
      const stream = anthropicClient(upstream).messages.stream({
        model: "claude-haiku-4-5",
        max_tokens: 8,
        messages: [{ role: "user", content: "x" }],
      });
      const { response } = await stream.withResponse();
      await stream.finalMessage();
      expect(response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("3");
      expect(Date.parse(response.headers.get("anthropic-ratelimit-requests-reset") ?? "")).toBe(
        Math.floor(reset.getTime() / 1000) * 1000,
      );
    });
  });
});
