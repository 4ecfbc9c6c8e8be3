import { afterEach, describe, expect, it } from "vitest";
import { makeTempHome, type TempHome } from "@hedge/testkit";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/store.js";
import { snapshotKey, type UsageSnapshot } from "../src/usage/snapshot.js";
import { UsageMonitor } from "../src/usage/usage-monitor.js";

const routeOf = (profile: string) => ({
  id: `lab:profile:${profile}`,
  provider: { id: "lab" },
  upstreamModel: "lab-model",
  credential: { profile },
});
const P1 = routeOf("p1");
const routes = ["lab:profile:p1", "lab:profile:p2"];
const request = { models: new Map(routes.map((id) => [id, "lab-model"])), estimatedTokens: 10 };
const headers = (remaining: number, limit = 1000) => ({
  "x-ratelimit-limit-requests": String(limit),
  "x-ratelimit-remaining-requests": String(remaining),
  "x-ratelimit-reset-requests": "50s",
});

const stores: Store[] = [];
const homes: TempHome[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
  while (homes.length) await homes.pop()?.cleanup();
});

/** Two gateway processes' views of one SQLite state.db: each its own Store and monitor. */
async function twoProcesses(): Promise<{ serving: UsageMonitor; other: UsageMonitor }> {
  const temp = await makeTempHome();
  homes.push(temp);
  const first = await openStore("sqlite", { home: temp.path });
  const second = await openStore("sqlite", { home: temp.path });
  stores.push(first, second);
  const settings = { switchBelow: 0.1, snapshotTtlMs: 600_000 };
  return {
    // Coalescing far longer than the test: only urgent writes reach the Store during it.
    serving: new UsageMonitor(first, { ...settings, cacheMs: 100, flushMs: 3_600_000 }),
    other: new UsageMonitor(second, { ...settings, cacheMs: 0 }),
  };
}

const refused = async (monitor: UsageMonitor): Promise<boolean> =>
  (await monitor.check(routes, Date.now(), request)).has("lab:profile:p1");

describe("usage snapshots are coalesced before they reach the Store", () => {
  it("writes a far-from-threshold profile's headers at most once per flush, not per response", async () => {
    const { serving } = await twoProcesses();
    for (let remaining = 900; remaining > 880; remaining -= 1)
      await serving.observe(P1, headers(remaining));
    const key = snapshotKey("lab:profile:p1", "lab-model");
    expect(await serving.store.get(key)).toBeUndefined();
    await serving.flush();
    const stored = await serving.store.get<UsageSnapshot>(key);
    expect(stored?.windows["requests"]?.remaining).toBe(881);
  });

  it("never hides a crossing of switch_below from another process, response by response", async () => {
    const { serving, other } = await twoProcesses();
    // From 40% left down to none, one response at a time, then a fresh window: at every step
    // the other process, reading the Store, decides as the serving one does.
    const steps: number[] = [];
    for (let remaining = 400; remaining >= 0; remaining -= 9) steps.push(remaining);
    steps.push(0, 1000);
    const decisions: string[] = [];
    for (const remaining of steps) {
      await serving.observe(P1, headers(remaining));
      const mine = await refused(serving);
      const theirs = await refused(other);
      expect({ remaining, theirs }).toEqual({ remaining, theirs: mine });
      decisions.push(mine ? "out" : "in");
    }
    // The walk did cross the threshold both ways.
    expect(decisions.slice(0, 3)).toEqual(["in", "in", "in"]);
    expect(decisions.at(-2)).toBe("out");
    expect(decisions.at(-1)).toBe("in");
  });

  it("a single response that jumps past the threshold is written at once", async () => {
    const { serving, other } = await twoProcesses();
    await serving.observe(P1, headers(800));
    expect(await refused(other)).toBe(false);
    await serving.observe(P1, headers(20));
    expect(await refused(other)).toBe(true);
  });

  it("Anthropic's full header set is coalesced far from the threshold, and a unified crossing written at once", async () => {
    const { serving, other } = await twoProcesses();
    const reset = String(Math.ceil(Date.now() / 1000) + 3600);
    const anthropic = (remaining: number, utilization: string) => ({
      "anthropic-ratelimit-requests-limit": "1000",
      "anthropic-ratelimit-requests-remaining": String(remaining),
      "anthropic-ratelimit-requests-reset": new Date(Date.now() + 60_000).toISOString(),
      "anthropic-ratelimit-unified-status": "allowed",
      "anthropic-ratelimit-unified-5h-utilization": utilization,
      "anthropic-ratelimit-unified-5h-reset": reset,
      "anthropic-ratelimit-unified-representative-claim": "five_hour",
      "anthropic-ratelimit-unified-overage-status": "rejected",
    });
    // Remaining counts and utilization change on every response, far from the threshold:
    // nothing reaches the Store (the bench's upstream does just this).
    for (let remaining = 900; remaining > 880; remaining -= 1)
      expect(
        serving.observe(P1, anthropic(remaining, String((900 - remaining) / 1000))),
      ).toBeUndefined();
    expect(await serving.store.get(snapshotKey("lab:profile:p1", "*"))).toBeUndefined();
    expect(await refused(other)).toBe(false);
    // The subscription's 5h window jumps to 95% used: the other process sees it at once.
    await serving.observe(P1, anthropic(880, "0.95"));
    expect(await refused(other)).toBe(true);
  });

  it("requests reserved near the threshold are counted in the Store at once", async () => {
    const { serving, other } = await twoProcesses();
    await serving.observe(P1, headers(150));
    // 15% left is near the 10% threshold: each reservation takes one request in the Store.
    for (let sent = 0; sent < 51; sent += 1) {
      await serving.check(routes, Date.now(), request);
      await serving.reserve(P1, 10);
    }
    expect(await refused(other)).toBe(true);
  });

  it("the last request of a window is taken by one process only: the other is refused before the provider", async () => {
    const { serving, other } = await twoProcesses();
    await serving.observe(P1, headers(1, 10));
    // Both processes read the snapshot with one request of ten left (10%: not under
    // switch_below), then both reserve it.
    expect((await serving.check(routes, Date.now(), request)).has("lab:profile:p1")).toBe(false);
    expect((await other.check(routes, Date.now(), request)).has("lab:profile:p1")).toBe(false);
    expect(await serving.reserve(P1, 10)).toBeUndefined();
    const refused = await other.reserve(P1, 10);
    expect(refused?.reason).toContain("no requests left");
  });
});
