import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseUsageHeaders } from "../src/usage/parse-headers.js";
import { headroomOf } from "../src/usage/snapshot.js";

const NOW = Date.UTC(2030, 0, 1);
const fixture = (name: string): Record<string, string> =>
  (
    JSON.parse(
      readFileSync(new URL(`./fixtures/rate-limit-headers/${name}.json`, import.meta.url), "utf8"),
    ) as { headers: Record<string, string> }
  ).headers;
/** Windows by family, each as `name unit used% [remaining] [reset +ms]` (a readable summary). */
const summary = (headers: Record<string, string>) =>
  Object.fromEntries(
    [...parseUsageHeaders(headers, NOW)].map(([family, windows]) => [
      family || "(request's family)",
      windows.map((window) =>
        [
          window.name,
          window.unit,
          `${Math.round(window.usedFraction * 1000) / 10}%`,
          window.remaining === undefined ? "" : `left ${window.remaining}`,
          window.resetAt === undefined ? "" : `reset +${window.resetAt - NOW}ms`,
        ]
          .filter(Boolean)
          .join(" "),
      ),
    ]),
  );

describe("each provider's documented rate-limit header set", () => {
  it("OpenAI: requests and tokens windows of the request's model family; other headers ignored", () => {
    expect(summary(fixture("openai"))).toEqual({
      "(request's family)": [
        "requests requests 1.7% left 59 reset +1000ms",
        "tokens tokens 0% left 149984 reset +360000ms",
      ],
    });
  });

  it("Anthropic API key: requests, tokens, input and output tokens with RFC 3339 resets", () => {
    expect(summary(fixture("anthropic-api"))).toEqual({
      "(request's family)": [
        "requests requests 0% left 3999 reset +1000ms",
        "tokens tokens 10% left 432000 reset +6000ms",
        "input-tokens tokens 10% left 360000 reset +6000ms",
        "output-tokens tokens 10% left 72000 reset +3000ms",
      ],
    });
  });

  it("Anthropic subscription: the unified 5h and 7d windows and the warning status, account-wide", () => {
    const parsed = summary(fixture("anthropic-unified"));
    expect(parsed).toEqual({
      "*": [
        "5h usage 86% reset +18000000ms",
        "7d usage 31% reset +432000000ms",
        "unified usage 86% reset +18000000ms",
      ],
    });
    const windows = parseUsageHeaders(fixture("anthropic-unified"), NOW).get("*") ?? [];
    expect(headroomOf(windows, NOW).fraction).toBeCloseTo(0.14);
  });

  it("Codex: plan windows account-wide, a named limit for its model's family", () => {
    expect(summary(fixture("codex"))).toEqual({
      "*": ["5h usage 12.5% reset +3600000ms", "7d usage 40% reset +432000000ms"],
      "gpt-5-codex": ["7d usage 80% reset +432000000ms"],
    });
  });

  it("a response without rate-limit headers gives nothing", () => {
    expect(
      parseUsageHeaders({ "content-type": "application/json", "x-request-id": "r" }, NOW).size,
    ).toBe(0);
  });
});
