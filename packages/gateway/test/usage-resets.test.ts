import { afterEach, describe, expect, it } from "vitest";
import {
  anthropicRateLimitHeaders,
  codexRateLimitHeaders,
  openAiRateLimitHeaders,
  rateLimitedReply,
  type ScriptReply,
} from "@hedge/testkit";
import { START } from "./routing-harness.js";
import { startUsageHarness, statusOf, type UsageHarness } from "./usage-harness.js";

let harness: UsageHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const seconds = (epochMs: number): string => String(epochMs / 1000);
const ok = (headers: Record<string, string>): ScriptReply => ({ text: "ok", headers });

/** name, wire, profile a's reply (exhausting a window or refusing), when a is usable again. */
const cases: [string, "chat" | "messages", ScriptReply, number][] = [
  [
    "OpenAI x-ratelimit-reset-requests 6m0s",
    "chat",
    ok(openAiRateLimitHeaders({ requests: { limit: 100, remaining: 0, resetMs: 360_000 } })),
    START + 360_000,
  ],
  [
    "OpenAI x-ratelimit-reset-tokens 12ms",
    "chat",
    ok(openAiRateLimitHeaders({ tokens: { limit: 10_000, remaining: 0, resetMs: 12 } })),
    START + 12,
  ],
  [
    "plain x-ratelimit-reset in epoch seconds",
    "chat",
    ok({
      "x-ratelimit-limit": "60",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": seconds(START + 120_000),
    }),
    START + 120_000,
  ],
  [
    "Anthropic anthropic-ratelimit-requests-reset (RFC 3339)",
    "messages",
    ok(
      anthropicRateLimitHeaders({
        requests: { limit: 50, remaining: 0, reset: new Date(START + 90_000) },
      }),
    ),
    START + 90_000,
  ],
  [
    "Anthropic anthropic-ratelimit-input-tokens-reset (RFC 3339)",
    "messages",
    ok(
      anthropicRateLimitHeaders({
        inputTokens: { limit: 40_000, remaining: 0, reset: new Date(START + 45_000) },
      }),
    ),
    START + 45_000,
  ],
  [
    "Anthropic unified reset (epoch seconds, rejected)",
    "messages",
    ok(
      anthropicRateLimitHeaders({
        unified: {
          status: "rejected",
          fiveHourUtilization: 1,
          reset: new Date(START + 5 * 3_600_000),
        },
      }),
    ),
    START + 5 * 3_600_000,
  ],
  [
    "Codex x-codex-primary-reset-at (epoch seconds)",
    "chat",
    ok(
      codexRateLimitHeaders({
        primary: { usedPercent: 100, windowMinutes: 300, resetAt: new Date(START + 7_200_000) },
      }),
    ),
    START + 7_200_000,
  ],
  [
    "Codex x-codex-secondary-reset-after-seconds",
    "chat",
    ok({
      "x-codex-secondary-used-percent": "100",
      "x-codex-secondary-window-minutes": "10080",
      "x-codex-secondary-reset-after-seconds": "600",
    }),
    START + 600_000,
  ],
  [
    "429 retry-after (seconds)",
    "chat",
    rateLimitedReply({ retryAfterSeconds: 17 }),
    START + 17_000,
  ],
  [
    "429 retry-after-ms",
    "chat",
    { status: 429, error: { message: "slow down" }, headers: { "retry-after-ms": "1500" } },
    START + 1_500,
  ],
  [
    "429 Codex usage_limit_reached body (resets_in_seconds)",
    "chat",
    {
      status: 429,
      body: {
        error: {
          type: "usage_limit_reached",
          message: "The usage limit has been reached",
          resets_in_seconds: 900,
        },
      },
    },
    START + 900_000,
  ],
];

describe("every reset format takes a profile out exactly until its reset", () => {
  it.each(cases)("%s", async (_name, wire, reply, reset) => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b"], wire }));
    h.up.push(reply, { text: "from b", repeat: true });
    expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served()[0]).toBe("a");

    h.clock.set(reset - 1);
    const before = await h.engine.explain({ model: "m" });
    expect(before.plan.excluded).toContainEqual(
      expect.objectContaining({ route: "lab:profile:a", until: reset }),
    );
    expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served().at(-1)).toBe("b");

    h.clock.set(reset);
    const after = await h.engine.explain({ model: "m" });
    expect(after.plan.excluded.map((route) => route.route)).not.toContain("lab:profile:a");
    expect(after.plan.attempts.map((attempt) => attempt.id)).toContain("lab:profile:a");
  });

  it("a declared local limit (no headers) refuses at the limit and clears when its window ends", async () => {
    const h = (harness = await startUsageHarness({
      profiles: ["a", "b"],
      settings: { a: { limits: { requests_per_minute: 2 } } },
    }));
    h.up.push({ text: "ok", repeat: true });
    for (let index = 0; index < 4; index += 1) expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served()).toEqual(["a", "a", "b", "b"]);
    h.clock.set(START + 59_999);
    expect((await h.engine.explain({ model: "m" })).plan.excluded).toContainEqual(
      expect.objectContaining({ route: "lab:profile:a", until: START + 60_000 }),
    );
    h.clock.set(START + 60_000);
    const after = await h.engine.explain({ model: "m" });
    expect(after.plan.excluded).toEqual([]);
  });

  it("a request larger than a token window's remainder goes elsewhere at once", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b"] }));
    h.up.push(
      ok(
        openAiRateLimitHeaders({ tokens: { limit: 100_000, remaining: 50_000, resetMs: 60_000 } }),
      ),
      { text: "from b", repeat: true },
    );
    expect(await statusOf(await h.ask())).toBe(200);
    // 50% left, far above switch_below, but ~62,500 tokens do not fit into 50,000.
    expect(await statusOf(await h.ask({ text: "x".repeat(250_000) }))).toBe(200);
    expect(h.served()).toEqual(["a", "b"]);
  });
});
