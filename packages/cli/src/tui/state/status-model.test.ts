import { describe, expect, it } from "vitest";
import type { UsageReportView } from "@hedge/model-spec";
import { textWidth } from "./text-layout.js";
import { formatStatusLine, statusFields, statusText, type StatusInput } from "./status-model.js";

const NOW = Date.parse("2026-12-07T12:00:00Z");

function usageReport(left: number, cooldownUntil?: string): UsageReportView {
  return {
    store: "sqlite",
    switch_below: 0.1,
    profiles: [
      {
        profile: "work",
        provider: "anthropic",
        kind: "oauth",
        left,
        windows: [
          {
            name: "5h",
            family: "*",
            source: "headers",
            unit: "requests",
            left,
            reset_at: new Date(NOW + (2 * 60 + 13) * 60_000).toISOString(),
            updated_at: new Date(NOW).toISOString(),
            stale: false,
          },
        ],
        cooldown: cooldownUntil
          ? { route: "anthropic", kind: "429", until: cooldownUntil, reason: "429" }
          : null,
        last_switch: null,
      },
    ],
  };
}

function input(overrides: Partial<StatusInput> = {}): StatusInput {
  return {
    thread: {
      roles: {
        orchestrator: { model: "openai/gpt-5-codex", route: undefined },
        executor: {
          model: "anthropic/claude-sonnet-4-5",
          profiles: ["work"],
          route: {
            provider: "anthropic",
            upstream_model: "claude-sonnet-4-5",
            profile: "work",
            reason: "rule: tests",
          },
        },
        qa: { model: "openai/gpt-5-mini", route: undefined },
      },
      usage: {
        input_tokens: 40_000,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 1_200,
        reasoning_output_tokens: 0,
      },
      costUsd: 0.84,
      contextUsedPct: 37,
    },
    usage: usageReport(0.72),
    running: ["executor", "qa"],
    now: NOW,
    ...overrides,
  };
}

function line(status: StatusInput, width: number): string {
  return statusText(formatStatusLine(statusFields(status), width));
}

describe("status line", () => {
  it("shows everything when there is room", () => {
    expect(line(input(), 140)).toBe(
      "anthropic/claude-sonnet-4-5 (rule: tests) · 63% context left · 41.2k tok · $0.84 · work 72% left ↺ 2h13m · ▶ executor, qa",
    );
  });

  it("fits 80 columns by dropping the route reason, tokens, $ and the countdown", () => {
    expect(line(input(), 80)).toBe(
      "anthropic/claude-sonnet-4-5 · 63% context left · work 72% left · ▶ executor, qa",
    );
  });

  it("drops fields in the fixed order as the terminal narrows, and never wraps", () => {
    const seen: string[] = [];
    for (let width = 140; width >= 20; width -= 1) {
      const text = line(input(), width);
      expect(textWidth(text)).toBeLessThanOrEqual(width);
      if (seen.at(-1) !== text) seen.push(text);
    }
    const has = (text: string, part: string): boolean => text.includes(part);
    const firstWithout = (part: string): number => seen.findIndex((text) => !has(text, part));
    // The order of what goes: reason, tokens, $, countdown, provider prefix.
    const order = ["(rule: tests)", "tok", "$0.84", "↺", "anthropic/"].map(firstWithout);
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The model and the context left stay longest.
    expect(line(input(), 40)).toMatch(/^claude-sonnet-4-5 · 63% (context left|ctx)/);
  });

  it("shows a profile that is cooling down, with the time left", () => {
    const until = new Date(NOW + 5 * 60_000).toISOString();
    expect(line(input({ usage: usageReport(0.5, until) }), 140)).toContain("work cooling 5m00s");
  });

  it("leaves out what is not known yet", () => {
    const fresh = input({ running: [] });
    fresh.thread = { ...fresh.thread, costUsd: null, contextUsedPct: null };
    const { usage: _usage, ...withoutUsage } = fresh;
    expect(line(withoutUsage, 120)).toBe("anthropic/claude-sonnet-4-5 (rule: tests) · 41.2k tok");
  });

  it("keeps untrusted text from the route out of the terminal's control", () => {
    const hostile = input();
    const executor = hostile.thread.roles.executor;
    hostile.thread = {
      ...hostile.thread,
      roles: {
        ...hostile.thread.roles,
        executor: {
          ...executor,
          route: {
            provider: "anthropic",
            upstream_model: "claude\x1b]0;pwned\x07",
            profile: "work",
            reason: "x\x1b[2J",
          },
        },
      },
    };
    expect(line(hostile, 140)).not.toContain("\x1b");
  });
});
