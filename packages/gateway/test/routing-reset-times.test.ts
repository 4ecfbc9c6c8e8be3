import { afterEach, describe, expect, it } from "vitest";
import {
  anthropicRateLimitHeaders,
  codexRateLimitHeaders,
  openAiRateLimitHeaders,
} from "@hedge/testkit";
import { FAST_RETRY, START, labProvider, startHarness, type Harness } from "./routing-harness.js";

let harness: Harness<"a" | "b"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const seconds = (epochMs: number): string => String(epochMs / 1000);

/** name, model (`m`: chat wire, `claude`: messages wire), 429 headers, expected reset. */
const cases: [string, "m" | "claude", Record<string, string>, number][] = [
  ["retry-after seconds", "m", { "retry-after": "17" }, START + 17_000],
  ["retry-after-ms", "m", { "retry-after-ms": "1500" }, START + 1_500],
  [
    "OpenAI x-ratelimit-reset-requests 6m0s with remaining 0",
    "m",
    openAiRateLimitHeaders({
      requests: { limit: 100, remaining: 0, resetMs: 360_000 },
      // A window with room left does not decide the reset.
      tokens: { limit: 10_000, remaining: 5_000, resetMs: 1_000 },
    }),
    START + 360_000,
  ],
  [
    "Anthropic RFC 3339 anthropic-ratelimit-requests-reset with remaining 0",
    "claude",
    anthropicRateLimitHeaders({
      requests: { limit: 50, remaining: 0, reset: new Date(START + 90_000) },
      tokens: { limit: 10_000, remaining: 9_000, reset: new Date(START + 5_000) },
    }),
    START + 90_000,
  ],
  [
    "epoch seconds x-ratelimit-reset",
    "m",
    { "x-ratelimit-reset": seconds(START + 120_000), "x-ratelimit-remaining": "0" },
    START + 120_000,
  ],
  [
    "Anthropic unified reset (epoch seconds, rejected)",
    "claude",
    anthropicRateLimitHeaders({
      unified: { status: "rejected", reset: new Date(START + 5 * 3_600_000) },
    }),
    START + 5 * 3_600_000,
  ],
  [
    "Codex x-codex-primary-reset-at (epoch seconds, 100% used)",
    "m",
    codexRateLimitHeaders({
      primary: { usedPercent: 100, windowMinutes: 300, resetAt: new Date(START + 7_200_000) },
    }),
    START + 7_200_000,
  ],
];

describe("a 429 cools the route down exactly until the provider's reset", () => {
  it.each(cases)("%s", async (_name, model, headers, reset) => {
    const h = (harness = await startHarness({
      upstreams: ["a", "b"],
      providers: (urls) => ({
        "lab-a": labProvider(urls.a),
        anth: { type: "anthropic", base_url: `${urls.a}/v1` },
        "lab-b": labProvider(urls.b),
      }),
      aliases: { m: "lab-a/m", claude: "anth/claude-x" },
      routing: {
        retry: FAST_RETRY,
        models: {
          "lab-a/m": { fallbacks: ["lab-b/m"] },
          "anth/claude-x": { fallbacks: ["lab-b/m"] },
        },
      },
    }));
    const route = model === "m" ? "lab-a:none" : "anth:none";
    h.up.a.push({ status: 429, error: { message: "Rate limit reached." }, headers });
    h.up.b.push({ text: "from b", repeat: true });

    expect((await h.chat(model)).status).toBe(200);
    expect(h.up.a.requests).toHaveLength(1);
    expect(await h.cooldown(route)).toMatchObject({ kind: "rate_limited", until: reset });

    h.clock.set(reset - 1);
    const before = await h.explain(model);
    expect(before.plan.excluded).toContainEqual(expect.objectContaining({ route, until: reset }));
    expect((await h.chat(model)).headers.get("x-hedge-route")).toContain("provider=lab-b");
    expect(h.up.a.requests).toHaveLength(1);

    h.clock.set(reset);
    const after = await h.explain(model);
    expect(after.plan.attempts[0]?.id).toBe(route);
    expect(after.plan.excluded.map((excluded) => excluded.route)).not.toContain(route);
    h.up.a.push({ text: "back" });
    expect((await h.chat(model)).headers.get("x-hedge-route")).toContain(
      `provider=${route.split(":")[0] ?? ""}`,
    );
    expect(h.up.a.requests).toHaveLength(2);
  });
});
