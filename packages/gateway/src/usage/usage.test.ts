import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../store/memory-store.js";
import { readCodexLimits } from "./codex-sessions.js";
import { modelFamily } from "./family.js";
import { Heartbeat } from "./heartbeat.js";
import { parseUsageHeaders } from "./parse-headers.js";
import { headroomOf, mergeSnapshot, snapshotKey, type UsageSnapshot } from "./snapshot.js";
import { appendSwitch } from "./switch-log.js";

const NOW = Date.UTC(2030, 0, 1);
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

describe("parseUsageHeaders", () => {
  it("reads OpenAI windows with Go durations into the request's family", () => {
    const parsed = parseUsageHeaders(
      {
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "499",
        "x-ratelimit-reset-requests": "120ms",
        "x-ratelimit-limit-tokens": "30000",
        "X-RateLimit-Remaining-Tokens": "27000",
        "x-ratelimit-reset-tokens": "6m0s",
      },
      NOW,
    );
    expect(parsed.get("")).toEqual([
      {
        name: "requests",
        unit: "requests",
        limit: 500,
        remaining: 499,
        usedFraction: 0.002,
        resetAt: NOW + 120,
      },
      {
        name: "tokens",
        unit: "tokens",
        limit: 30_000,
        remaining: 27_000,
        usedFraction: 0.1,
        resetAt: NOW + 360_000,
      },
    ]);
  });

  it("reads Anthropic unified windows (fractions, epoch seconds) as account-wide", () => {
    const parsed = parseUsageHeaders(
      {
        "anthropic-ratelimit-unified-status": "allowed_warning",
        "anthropic-ratelimit-unified-reset": String((NOW + 3_600_000) / 1000),
        "anthropic-ratelimit-unified-5h-utilization": "0.91",
        "anthropic-ratelimit-unified-5h-reset": String((NOW + 3_600_000) / 1000),
        "anthropic-ratelimit-unified-7d-utilization": "0.4",
        "anthropic-ratelimit-unified-representative-claim": "five_hour",
      },
      NOW,
    );
    const windows = parsed.get("*") ?? [];
    expect(windows.find((window) => window.name === "5h")).toMatchObject({
      usedFraction: 0.91,
      resetAt: NOW + 3_600_000,
    });
    expect(windows.find((window) => window.name === "7d")?.usedFraction).toBe(0.4);
    expect(windows.find((window) => window.name === "unified")?.usedFraction).toBe(0.91);
  });

  it("reads each response's own Anthropic reset, whatever the one before it said", () => {
    const resetOf = (reset: string): number | undefined =>
      parseUsageHeaders(
        {
          "anthropic-ratelimit-tokens-limit": "1000",
          "anthropic-ratelimit-tokens-remaining": "900",
          "anthropic-ratelimit-tokens-reset": reset,
        },
        NOW,
      ).get("")?.[0]?.resetAt;
    expect(resetOf("2026-12-08T03:00:00Z")).toBe(Date.parse("2026-12-08T03:00:00Z"));
    expect(resetOf("2026-12-08T03:00:00Z")).toBe(Date.parse("2026-12-08T03:00:00Z"));
    expect(resetOf(" 2026-12-08T03:01:00Z ")).toBe(Date.parse("2026-12-08T03:01:00Z"));
    expect(resetOf("1")).toBeUndefined();
    expect(resetOf("1")).toBeUndefined();
    expect(resetOf("2026-12-08T03:02:00+01:00")).toBe(Date.parse("2026-12-08T02:02:00Z"));
  });

  it("reads only well-formed unified utilization names", () => {
    const parsed = parseUsageHeaders(
      {
        "anthropic-ratelimit-unified-utilization": "0.5",
        "anthropic-ratelimit-unified--utilization": "0.5",
        "anthropic-ratelimit-unified-7d_opus-utilization": "0.3",
        "anthropic-ratelimit-unified-7d_opus-status": "rejected",
        "x-ratelimit-unified-5h-utilization": "0.9",
      },
      NOW,
    );
    expect(parsed.get("*")).toEqual([{ name: "7d_opus", unit: "usage", usedFraction: 1 }]);
  });

  it("reads Codex default and per-family windows", () => {
    const parsed = parseUsageHeaders(
      {
        "x-codex-primary-used-percent": "12.5",
        "x-codex-primary-window-minutes": "300",
        "x-codex-primary-reset-at": String((NOW + 60_000) / 1000),
        "x-codex-bengalfox-primary-used-percent": "80",
        "x-codex-bengalfox-primary-window-minutes": "10080",
        "x-codex-bengalfox-limit-name": "gpt-5.4-codex-sonic",
      },
      NOW,
    );
    expect(parsed.get("*")).toEqual([
      {
        name: "5h",
        unit: "usage",
        usedFraction: 0.125,
        resetAt: NOW + 60_000,
        windowMs: 18_000_000,
      },
    ]);
    expect(parsed.get("gpt-5.4-codex-sonic")?.[0]).toMatchObject({ name: "7d", usedFraction: 0.8 });
  });

  it("ignores what is not a number and headers of no limit", () => {
    expect(
      parseUsageHeaders({ "x-ratelimit-remaining-requests": "soon", "content-type": "x" }, NOW)
        .size,
    ).toBe(0);
  });
});

describe("snapshots", () => {
  it("merge partial updates and forget windows past their reset", () => {
    const base: UsageSnapshot = {
      route: "r",
      family: "m",
      source: "headers",
      windows: {
        requests: { name: "requests", unit: "requests", usedFraction: 0.5, resetAt: NOW + 1000 },
        tokens: { name: "tokens", unit: "tokens", usedFraction: 0.2, resetAt: NOW + 10 },
      },
      updatedAt: NOW,
    };
    const merged = mergeSnapshot(
      base,
      {
        ...base,
        windows: { input: { name: "input", unit: "tokens", usedFraction: 0.7, remaining: 30 } },
        updatedAt: NOW + 20,
      },
      NOW + 20,
    );
    expect(Object.keys(merged.windows).sort()).toEqual(["input", "requests"]);
    const headroom = headroomOf(Object.values(merged.windows), NOW + 20);
    expect(headroom.fraction).toBe(0.3);
    expect(headroom.tokensLeft).toBe(30);
    // A reset restores the window whole.
    expect(headroomOf([base.windows["requests"]!], NOW + 1000).fraction).toBe(1);
  });

  it("family drops provider prefixes and dated snapshots", () => {
    expect(modelFamily("anthropic/claude-sonnet-4-5-20250929")).toBe("claude-sonnet-4-5");
    expect(modelFamily("gpt-4o-2024-08-06")).toBe("gpt-4o");
    expect(modelFamily("claude-3-7-sonnet-latest")).toBe("claude-3-7-sonnet");
  });
});

describe("Codex session files", () => {
  const rollout = (home: string, lines: object[]): void => {
    const dir = join(home, "sessions", "2030", "01", "01");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "rollout-2030-01-01T00-00-00-0000.jsonl"),
      lines.map((line) => JSON.stringify(line)).join("\n"),
    );
  };

  it("reads the newest token_count rate_limits (resets_at and resets_in_seconds)", () => {
    const home = mkdtempSync(join(tmpdir(), "hedge-codex-home-"));
    dirs.push(home);
    rollout(home, [
      { timestamp: "2030-01-01T00:00:00Z", type: "session_meta", payload: { id: "x" } },
      {
        timestamp: "2030-01-01T00:01:00Z",
        type: "event_msg",
        payload: {
          type: "token_count",
          info: null,
          rate_limits: {
            primary: { used_percent: 7, window_minutes: 300, resets_at: 1_893_474_000 },
          },
        },
      },
      {
        timestamp: "2030-01-01T00:02:00Z",
        type: "event_msg",
        payload: {
          type: "token_count",
          info: { total_token_usage: {} },
          rate_limits: {
            primary: { used_percent: 42, window_minutes: 300, resets_in_seconds: 600 },
            secondary: { used_percent: 77, window_minutes: 10_080, resets_at: 1_893_900_000 },
          },
        },
      },
    ]);
    const limits = readCodexLimits(home);
    expect(limits?.capturedAt).toBe(Date.parse("2030-01-01T00:02:00Z"));
    expect(limits?.families.get("*")).toEqual([
      {
        name: "5h",
        unit: "usage",
        usedFraction: 0.42,
        resetAt: Date.parse("2030-01-01T00:12:00Z"),
        windowMs: 18_000_000,
      },
      {
        name: "7d",
        unit: "usage",
        usedFraction: 0.77,
        resetAt: 1_893_900_000_000,
        windowMs: 604_800_000,
      },
    ]);
  });

  it("notices Codex's usage-limit error and its reset", () => {
    const home = mkdtempSync(join(tmpdir(), "hedge-codex-home-"));
    dirs.push(home);
    rollout(home, [
      {
        timestamp: "2030-01-01T00:00:00Z",
        type: "event_msg",
        payload: {
          type: "token_count",
          rate_limits: {
            primary: { used_percent: 100, window_minutes: 300, resets_at: 1_893_474_000 },
          },
        },
      },
      {
        timestamp: "2030-01-01T00:00:05Z",
        type: "event_msg",
        payload: {
          type: "error",
          message: "You've hit your usage limit. Upgrade to Pro or try again in 1 hour 5 minutes.",
        },
      },
    ]);
    expect(readCodexLimits(home)?.limitReached).toEqual({
      message: "You've hit your usage limit. Upgrade to Pro or try again in 1 hour 5 minutes.",
      resetAt: Date.parse("2030-01-01T00:00:05Z") + 65 * 60_000,
    });
  });

  it("finds nothing in a home without sessions", () => {
    const home = mkdtempSync(join(tmpdir(), "hedge-codex-home-"));
    dirs.push(home);
    expect(readCodexLimits(home)).toBeUndefined();
  });
});

describe("Heartbeat", () => {
  it("expires stale snapshots, clears cooldowns at their reset and logs each switch once", async () => {
    let now = NOW;
    const store = new MemoryStore({ now: () => now });
    const lines: string[] = [];
    const heartbeat = new Heartbeat(store, {
      profiles: [],
      snapshotTtlMs: 60_000,
      now: () => now,
      log: (line) => lines.push(line),
    });
    await store.set(snapshotKey("lab:profile:a", "m"), {
      route: "lab:profile:a",
      family: "m",
      source: "headers",
      windows: {
        requests: { name: "requests", unit: "requests", usedFraction: 0.5 },
        "5h": { name: "5h", unit: "usage", usedFraction: 0.9, resetAt: NOW + 3_600_000 },
      },
      updatedAt: NOW,
    } satisfies UsageSnapshot);
    // A cooldown whose entry outlives its reset (as a SQLite row may until it is swept).
    await store.set("cooldown:lab:profile:b", {
      until: NOW + 30_000,
      kind: "rate_limited",
      reason: "429",
    });
    await appendSwitch(store, {
      at: NOW,
      provider: "lab",
      family: "m",
      from: "lab:profile:a",
      to: "lab:profile:b",
      fromProfile: "a",
      toProfile: "b",
      reason: "usage: requests window 9% left",
    });
    await heartbeat.tick();
    expect(lines).toEqual([
      expect.stringContaining("cooldown: lab:profile:b until"),
      "switch: 2030-01-01T00:00:00.000Z lab a -> b (usage: requests window 9% left)",
    ]);
    lines.length = 0;
    now = NOW + 30_000;
    await heartbeat.tick();
    expect(lines).toEqual([
      "cleared: lab:profile:b cooldown ended at its reset 2030-01-01T00:00:30.000Z",
    ]);
    expect(await store.get("cooldown:lab:profile:b")).toBeUndefined();
    lines.length = 0;
    now = NOW + 61_000;
    await heartbeat.tick();
    expect(lines).toEqual([
      expect.stringMatching(
        /^expired: lab:profile:a \(m\) snapshot from 1m01s ago; kept 5h until their reset$/,
      ),
    ]);
    const kept = await store.get<UsageSnapshot>(snapshotKey("lab:profile:a", "m"));
    expect(Object.keys(kept?.windows ?? {})).toEqual(["5h"]);
  });
});
