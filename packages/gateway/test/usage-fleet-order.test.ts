import { describe, expect, it } from "vitest";
import { MemoryStore } from "../src/store/memory-store.js";
import { pointerKey, UsageMonitor } from "../src/usage/usage-monitor.js";

const NOW = Date.UTC(2030, 0, 1);
const SIZE = 64;
const names = Array.from({ length: SIZE }, (_, index) => `p${String(index + 1).padStart(2, "0")}`);
const routeOf = (profile: string) => ({
  id: `fleet:profile:${profile}`,
  provider: { id: "fleet" },
  upstreamModel: "fleet-model",
  credential: { profile },
});
const routes = names.map(routeOf);
const ids = routes.map((route) => route.id);
const request = { models: new Map(ids.map((id) => [id, "fleet-model"])), estimatedTokens: 10 };
const headers = (remaining: number) => ({
  "x-ratelimit-limit-requests": "1000",
  "x-ratelimit-remaining-requests": String(remaining),
  "x-ratelimit-reset-requests": "60s",
});
/** Remaining requests of member `index` (0-based): a spread with ties, and two members low. */
const remainingOf = (index: number): number =>
  index === 10 ? 50 : index === 20 ? 0 : 100 + ((index * 37) % 9) * 100;

async function fleet(priorities: Record<string, number> = {}) {
  const store = new MemoryStore({ now: () => NOW });
  const usage = new UsageMonitor(
    store,
    {
      switchBelow: 0.1,
      snapshotTtlMs: 600_000,
      profiles: Object.fromEntries(
        Object.entries(priorities).map(([name, priority]) => [name, { priority }]),
      ),
    },
    () => NOW,
  );
  for (const [index, route] of routes.entries())
    await usage.observe(route, headers(remainingOf(index)));
  return { store, usage };
}

/** The order a request would try the healthy members in, as profile names. */
async function order(usage: UsageMonitor): Promise<string[]> {
  const verdicts = await usage.check(ids, NOW, request);
  return usage
    .order(routes.filter((route) => !verdicts.has(route.id)))
    .map((route) => route.credential.profile);
}

/** What the rule says: most headroom first, ties by priority (higher first), then pool order. */
function expected(priorities: Record<string, number> = {}, current?: string): string[] {
  const healthy = names.filter((_, index) => remainingOf(index) >= 100);
  const sorted = healthy
    .map((name, position) => ({
      name,
      position,
      left: remainingOf(names.indexOf(name)),
      priority: priorities[name] ?? 0,
    }))
    .sort((a, b) => b.left - a.left || b.priority - a.priority || a.position - b.position)
    .map((entry) => entry.name);
  return current ? [current, ...sorted.filter((name) => name !== current)] : sorted;
}

describe("a 64-profile pool", () => {
  it("keeps members under switch_below or exhausted out, and orders the rest by headroom", async () => {
    const { usage } = await fleet();
    const verdicts = await usage.check(ids, NOW, request);
    expect([...verdicts.keys()].sort()).toEqual(["fleet:profile:p11", "fleet:profile:p21"]);
    const ordered = await order(usage);
    expect(ordered).toHaveLength(SIZE - 2);
    expect(ordered).toEqual(expected());
  });

  it("breaks headroom ties by priority, then by the pool's order", async () => {
    const priorities = { p64: 5, p01: 1 };
    const { usage } = await fleet(priorities);
    expect(await order(usage)).toEqual(expected(priorities));
  });

  it("stays on the pool's current member while it has headroom, then moves to the most headroom", async () => {
    const { store } = await fleet();
    // p40 has 300 left of 1000: far from the best, but the pool is on it (its prompt cache).
    await store.set(pointerKey("fleet", "fleet-model"), "fleet:profile:p40");
    const fresh = new UsageMonitor(store, { switchBelow: 0.1, snapshotTtlMs: 600_000 }, () => NOW);
    expect((await order(fresh))[0]).toBe("p40");
    expect(await order(fresh)).toEqual(expected({}, "p40"));
    // The current member drops under switch_below: it leaves the rotation and the best leads.
    await fresh.observe(routes[39] as (typeof routes)[number], headers(40));
    const moved = await order(fresh);
    expect(moved).not.toContain("p40");
    expect(moved[0]).toBe(expected()[0]);
  });
});
