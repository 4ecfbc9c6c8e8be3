import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/store/memory-store.js";
import { UsageMonitor } from "../src/usage/usage-monitor.js";
import { usageView } from "../src/views/usage-view.js";

const NOW = Date.UTC(2030, 0, 1);

describe("hedge usage --json for a fleet", () => {
  it("groups 64 profiles by provider, the most headroom first, with a count per pool", async () => {
    const store = new MemoryStore({ now: () => NOW });
    const usage = new UsageMonitor(store, { switchBelow: 0.1, snapshotTtlMs: 600_000 }, () => NOW);
    const names = Array.from({ length: 64 }, (_, index) => `f${index + 1}`);
    // Remaining requests per member: 0 (exhausted), 5 (low), then a spread.
    const remaining = (index: number) =>
      index === 3 ? 0 : index === 7 ? 5 : 10 + ((index * 29) % 90);
    for (const [index, name] of names.entries()) {
      await usage.observe(
        {
          id: `fleet:profile:${name}`,
          provider: { id: "fleet" },
          upstreamModel: "m",
          credential: { profile: name },
        },
        {
          "x-ratelimit-limit-requests": "100",
          "x-ratelimit-remaining-requests": String(remaining(index)),
          "x-ratelimit-reset-requests": "60s",
        },
      );
    }
    const profiles = [
      { name: "solo", provider: "other", kind: "api-key" as const },
      ...names.map((name) => ({ name, provider: "fleet", kind: "api-key" as const })),
    ];
    const view = await usageView(
      store,
      profiles,
      { switchBelow: 0.1, snapshotTtlMs: 600_000 },
      NOW,
    );
    expect(view.profiles.map((entry) => entry.provider)).toEqual([
      "other",
      ...names.map(() => "fleet"),
    ]);
    const lefts = view.profiles.slice(1).map((entry) => entry.left);
    expect(lefts).toEqual([...lefts].sort((a, b) => b - a));
    expect(view.profiles.at(-1)?.profile).toBe("f4");
    const low = names.filter((_, index) => remaining(index) > 0 && remaining(index) < 10).length;
    expect(view.pools).toEqual([
      { provider: "other", profiles: 1, with_room: 1, low: 0, exhausted: 0, cooling_down: 0 },
      { provider: "fleet", profiles: 64, with_room: 63 - low, low, exhausted: 1, cooling_down: 0 },
    ]);
  });
});
