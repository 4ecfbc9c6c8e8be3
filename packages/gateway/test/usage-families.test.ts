import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/store/memory-store.js";
import { modelFamily } from "../src/usage/family.js";
import { UsageMonitor, type UsageRoute } from "../src/usage/usage-monitor.js";
import { START, testClock } from "./routing-harness.js";

const routes = ["lab:profile:a", "lab:profile:b"];

function attempts(model: string): UsageRoute[] {
  return routes.map((id) => ({
    id,
    provider: { id: "lab" },
    upstreamModel: model,
    credential: { profile: id.slice("lab:profile:".length) },
  }));
}

describe("pool order per model family", () => {
  it("two requests for different families, checked one after the other, each order by their own family's headroom", async () => {
    const clock = testClock();
    const store = new MemoryStore({ now: clock });
    const usage = new UsageMonitor(
      store,
      { switchBelow: 0.1, snapshotTtlMs: 600_000, profiles: {}, cacheMs: 0 },
      clock,
    );
    // gpt: b has more room; claude: a has more room.
    const used = { gpt: { a: 0.5, b: 0.2 }, claude: { a: 0.2, b: 0.5 } };
    const models = { gpt: "gpt-x", claude: "claude-x" };
    for (const family of ["gpt", "claude"] as const) {
      for (const profile of ["a", "b"] as const) {
        await usage.record({
          route: `lab:profile:${profile}`,
          family: modelFamily(models[family]),
          source: "headers",
          windows: {
            requests: { name: "requests", unit: "requests", usedFraction: used[family][profile] },
          },
          updatedAt: START,
        });
      }
    }
    const check = (model: string) =>
      usage.check(routes, START, { models: new Map(routes.map((route) => [route, model])) });

    // The gpt request is checked, then a claude request is checked before gpt's pool is ordered.
    await check(models.gpt);
    await check(models.claude);
    expect(usage.order(attempts(models.gpt)).map((route) => route.id)).toEqual([
      "lab:profile:b",
      "lab:profile:a",
    ]);
    expect(usage.order(attempts(models.claude)).map((route) => route.id)).toEqual([
      "lab:profile:a",
      "lab:profile:b",
    ]);
  });
});
