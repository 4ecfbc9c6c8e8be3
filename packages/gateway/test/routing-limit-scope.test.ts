import { afterEach, describe, expect, it } from "vitest";
import {
  anthropicRateLimitHeaders,
  openAiRateLimitHeaders,
  rateLimitedReply,
  type ScriptReply,
} from "@hedge/testkit";
import { listCooldowns } from "../src/routing/health.js";
import { FAST_RETRY, START, labProvider, startHarness, type Harness } from "./routing-harness.js";

// A 429 cools the scope the provider means, for as long as its headers say: a model family by
// default (OpenAI's and Anthropic's API limits are per model), the whole account when an
// account window is spent (a subscription's, a quota) — never every model for one model's limit.

let harness: Harness<"a"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function providers(): Promise<Harness<"a">> {
  harness = await startHarness({
    upstreams: ["a"],
    providers: (urls) => ({
      openai: labProvider(urls.a, { api_key: "sk-openai" }),
      anth: { type: "anthropic", base_url: `${urls.a}/v1`, api_key: "sk-anth" },
    }),
    routing: { retry: FAST_RETRY },
  });
  return harness;
}

function messages(h: Harness<"a">, model: string): Promise<Response> {
  return h.post(
    "/v1/messages",
    { model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] },
    { "anthropic-version": "2023-06-01" },
  );
}

const models = (h: Harness<"a">): string[] =>
  h.up.a.requests.map((request) => (request.body as { model: string }).model);

describe("a 429 cools the scope the provider means", () => {
  it("OpenAI x-ratelimit-* (per model): that model family waits until the reset, the key's other models are served", async () => {
    const h = await providers();
    const limited: ScriptReply = {
      status: 429,
      error: {
        message: "Rate limit reached for gpt-a in organization org-x on requests per min (RPM).",
        type: "requests",
        code: "rate_limit_exceeded",
      },
      headers: openAiRateLimitHeaders({ requests: { limit: 500, remaining: 0, resetMs: 20_000 } }),
    };
    h.up.a.push(limited, { text: "gpt-b answers" });

    expect((await h.chat("openai/gpt-a")).status).toBe(429);
    expect((await h.chat("openai/gpt-b")).status).toBe(200);
    // A dated snapshot of the limited model is the same family: not asked.
    expect((await h.chat("openai/gpt-a-2025-01-01")).status).toBe(429);
    expect(models(h)).toEqual(["gpt-a", "gpt-b"]);
    expect(await listCooldowns(h.store)).toEqual([
      expect.objectContaining({
        route: "openai:config:openai",
        scope: "family",
        model: "gpt-a",
        kind: "rate_limited",
        until: START + 20_000,
      }),
    ]);
  });

  it("a bare retry-after: the model family asked for, for the seconds it names", async () => {
    const h = await providers();
    h.up.a.push(rateLimitedReply({ retryAfterSeconds: 7 }), { text: "other model answers" });
    expect((await h.chat("openai/gpt-a")).status).toBe(429);
    expect((await h.chat("openai/gpt-b")).status).toBe(200);
    expect(await h.cooldown("openai:config:openai")).toMatchObject({
      scope: "family",
      until: START + 7_000,
    });
  });

  it("an Anthropic subscription window rejected (anthropic-ratelimit-unified-*): the whole account waits", async () => {
    const h = await providers();
    const reset = new Date(START + 3_600_000);
    h.up.a.push({
      status: 429,
      error: { type: "rate_limit_error", message: "This request would exceed your rate limit." },
      headers: anthropicRateLimitHeaders({
        unified: { status: "rejected", reset, fiveHourUtilization: 1, fiveHourReset: reset },
      }),
    });
    expect((await messages(h, "anth/claude-a")).status).toBe(429);
    expect((await messages(h, "anth/claude-b")).status).toBe(429);
    expect(models(h)).toEqual(["claude-a"]);
    expect(await h.cooldown("anth:config:anth")).toMatchObject({
      scope: "route",
      until: reset.getTime(),
    });
  });

  it("out of quota (insufficient_quota): the account, every model", async () => {
    const h = await providers();
    h.up.a.push({
      status: 429,
      error: {
        message: "You exceeded your current quota, please check your plan and billing details.",
        type: "insufficient_quota",
        code: "insufficient_quota",
      },
    });
    expect((await h.chat("openai/gpt-a")).status).toBe(429);
    expect((await h.chat("openai/gpt-b")).status).toBe(429);
    expect(models(h)).toEqual(["gpt-a"]);
    expect(await h.cooldown("openai:config:openai")).toMatchObject({
      scope: "route",
      kind: "quota",
    });
  });
});
