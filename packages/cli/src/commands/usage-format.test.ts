import { describe, expect, it } from "vitest";
import type { ProfileUsageView, UsageReportView } from "@hedge/model-spec";
import { formatReport } from "./usage-format.js";

const NOW = Date.UTC(2030, 0, 1);

function profile(name: string, left: number, provider = "fleet"): ProfileUsageView {
  return {
    profile: name,
    provider,
    kind: "api-key",
    left,
    windows: [
      {
        name: "tokens",
        family: "m",
        source: "headers",
        unit: "tokens",
        left: Math.min(1, left + 0.2),
        updated_at: new Date(NOW).toISOString(),
        stale: false,
      },
      {
        name: "requests",
        family: "m",
        source: "headers",
        unit: "requests",
        left,
        limit: 1000,
        remaining: Math.round(left * 1000),
        reset_at: new Date(NOW + 41_000).toISOString(),
        reset_in_s: 41,
        updated_at: new Date(NOW).toISOString(),
        stale: false,
      },
    ],
    cooldown: null,
    last_switch: null,
  };
}

describe("hedge usage for a fleet of logins", () => {
  it("prints a 64-profile pool as a count line and one line per profile with its tightest window", () => {
    const members = Array.from({ length: 64 }, (_, index) =>
      profile(`p${index + 1}`, 1 - (index + 1) / 80),
    );
    const view: UsageReportView = {
      store: "sqlite",
      switch_below: 0.1,
      pools: [
        { provider: "solo", profiles: 1, with_room: 1, low: 0, exhausted: 0, cooling_down: 0 },
        { provider: "fleet", profiles: 64, with_room: 64, low: 0, exhausted: 0, cooling_down: 0 },
      ],
      profiles: [profile("alone", 0.5, "solo"), ...members],
    };
    const lines = formatReport(view, NOW).trimEnd().split("\n");
    // The small pool keeps its detailed form (a header and every window); the fleet one line each.
    expect(lines.slice(0, 4)).toEqual([
      "solo: 1 profiles, 1 with room",
      "alone  solo (api-key)  50% left",
      expect.stringMatching(/^ {2}tokens m/),
      expect.stringMatching(/^ {2}requests m/),
    ]);
    expect(lines[4]).toBe("fleet: 64 profiles, 64 with room");
    expect(lines).toHaveLength(5 + 64);
    expect(lines[5]).toMatch(
      /^ {2}p1 {3}requests m +\[█{10}\] +99% left 988\/1000 {2}resets in 41s/,
    );
    expect(lines.at(-1)).toMatch(/^ {2}p64 {2}requests m +\[█{2}░{8}\] +20% left 200\/1000/);
  });
});
