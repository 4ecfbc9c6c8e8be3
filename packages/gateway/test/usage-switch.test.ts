import { afterEach, describe, expect, it } from "vitest";
import {
  anthropicRateLimitHeaders,
  codexRateLimitHeaders,
  openAiRateLimitHeaders,
  rateLimitedReply,
} from "@hedge/testkit";
import { readSwitches } from "../src/usage/switch-log.js";
import { START } from "./routing-harness.js";
import { startUsageHarness, statusOf, type UsageHarness } from "./usage-harness.js";

let harness: UsageHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A reply whose headers say `remaining` of 100 requests are left (reset in a minute). */
const remaining = (left: number) => ({
  text: "ok",
  headers: openAiRateLimitHeaders({ requests: { limit: 100, remaining: left, resetMs: 60_000 } }),
});

describe("the usage heartbeat switches profiles before the wall", () => {
  it("stays on a profile until its headroom falls under switch_below, then moves, and stays there", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b", "c"] }));
    // a: 50, 20, 11, 10 left (10% is not under 10%), then 9: the request after that goes to b.
    h.up.push(remaining(50), remaining(20), remaining(11), remaining(10), remaining(9));
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) statuses.push(await statusOf(await h.ask()));
    expect(h.served()).toEqual(["a", "a", "a", "a", "a"]);

    h.up.push(remaining(90));
    const moved = await h.ask();
    statuses.push(await statusOf(moved));
    expect(h.served().at(-1)).toBe("b");
    expect(moved.headers.get("x-hedge-switched-from")).toBe("a");
    const [change] = await readSwitches(h.store);
    expect(change).toMatchObject({ fromProfile: "a", toProfile: "b", from: "lab:profile:a" });
    expect(change?.reason).toContain("9% left (below switch_below 10%)");

    // b keeps the traffic while it has headroom, although c (never used) looks emptier.
    h.up.push(remaining(80), remaining(60), remaining(40), remaining(20));
    for (let index = 0; index < 4; index += 1) statuses.push(await statusOf(await h.ask()));
    expect(h.served().slice(5)).toEqual(["b", "b", "b", "b", "b"]);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await readSwitches(h.store)).toHaveLength(1);
  });

  it("moves to the member with the most headroom, ties broken by priority", async () => {
    const h = (harness = await startUsageHarness({
      profiles: ["a", "b", "c", "d"],
      settings: { a: { priority: 9 }, c: { priority: 5 } },
    }));
    const seen = (route: string, used: number) =>
      h.usage.record({
        route,
        family: "m",
        source: "headers",
        windows: { requests: { name: "requests", unit: "requests", usedFraction: used } },
        updatedAt: START,
      });
    await seen("lab:profile:b", 0.4);
    await seen("lab:profile:c", 0.4);
    await seen("lab:profile:d", 0.7);
    // a first (nothing known, highest priority); under the threshold, b and c tie on headroom
    // and c's priority decides; d has less room.
    h.up.push(remaining(5), remaining(55));
    await statusOf(await h.ask());
    await statusOf(await h.ask());
    expect(h.served()).toEqual(["a", "c"]);
  });

  it("a 429 mid-session is retried on the next profile: the client sees no failure", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b", "c"] }));
    const session = { session: "s-1" };
    h.up.push(remaining(80), remaining(70));
    expect(await statusOf(await h.ask(session))).toBe(200);
    expect(await statusOf(await h.ask(session))).toBe(200);
    h.up.push(rateLimitedReply({ retryAfterSeconds: 120 }), remaining(95));
    expect(await statusOf(await h.ask(session))).toBe(200);
    h.up.push(remaining(94), remaining(93));
    expect(await statusOf(await h.ask(session))).toBe(200);
    expect(await statusOf(await h.ask(session))).toBe(200);
    expect(h.served()).toEqual(["a", "a", "a", "b", "b", "b"]);
    const [change] = await readSwitches(h.store);
    expect(change).toMatchObject({ fromProfile: "a", toProfile: "b" });
    expect(change?.reason).toContain("rate limited");
    // a cools down, for the model family asked for, exactly until the reset the 429 named.
    expect(await h.store.get("cooldown:lab:profile:a#family=m")).toMatchObject({
      until: START + 120_000,
    });
  });

  it("when every profile is exhausted the error names the earliest reset", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b", "c"] }));
    const exhausted = (resetMs: number) => ({
      text: "last one",
      headers: openAiRateLimitHeaders({ requests: { limit: 100, remaining: 0, resetMs } }),
    });
    h.up.push(exhausted(60_000), exhausted(30_000), exhausted(90_000));
    for (let index = 0; index < 3; index += 1) expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served()).toEqual(["a", "b", "c"]);

    const refused = await h.ask();
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe("usage_exhausted");
    expect(body.error.message).toContain(
      `every profile for "m" is at its limit; earliest reset ${new Date(START + 30_000).toISOString()} (in 30s)`,
    );
    expect(h.up.requests).toHaveLength(3);

    // The earliest reset is real: b serves again then, and only b.
    h.clock.set(START + 30_000 - 1);
    expect(await statusOf(await h.ask())).toBe(429);
    h.clock.set(START + 30_000);
    h.up.push(remaining(99));
    expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served().at(-1)).toBe("b");
  });

  it("Anthropic unified (subscription) headers drive the switch", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b"], wire: "messages" }));
    const unified = (used: number, status: "allowed" | "allowed_warning" | "rejected") => ({
      text: "ok",
      headers: anthropicRateLimitHeaders({
        unified: {
          status,
          fiveHourUtilization: used,
          sevenDayUtilization: 0.2,
          reset: new Date(START + 5 * 3_600_000),
          representativeClaim: "five_hour",
        },
      }),
    });
    h.up.push(unified(0.5, "allowed"), unified(0.85, "allowed_warning"), unified(0.95, "allowed"));
    for (let index = 0; index < 3; index += 1) expect(await statusOf(await h.ask())).toBe(200);
    h.up.push(unified(0.1, "allowed"));
    expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served()).toEqual(["a", "a", "a", "b"]);
    expect((await readSwitches(h.store))[0]?.reason).toContain("5h window 5% left");
  });

  it("Codex plan headers drive the switch, and a rejected window is a hard stop", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b"] }));
    const codex = (used: number) => ({
      text: "ok",
      headers: codexRateLimitHeaders({
        primary: { usedPercent: used, windowMinutes: 300, resetAt: new Date(START + 3_600_000) },
        secondary: {
          usedPercent: 30,
          windowMinutes: 10_080,
          resetAt: new Date(START + 86_400_000),
        },
      }),
    });
    h.up.push(codex(40), codex(92), codex(20), codex(100));
    for (let index = 0; index < 4; index += 1) expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served()).toEqual(["a", "a", "b", "b"]);
    expect((await readSwitches(h.store))[0]?.reason).toContain("5h window 8% left");
    // Both exhausted (a: 8% left but b: 100% used): a, still with a little room, serves.
    h.up.push(codex(93));
    expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served().at(-1)).toBe("a");
  });
});
