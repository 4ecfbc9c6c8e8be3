import { afterEach, describe, expect, it } from "vitest";
import { FAST_RETRY, START, labProvider, startHarness, type Harness } from "./routing-harness.js";

let harness: Harness<"a" | "b"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const COOLDOWN = 30_000;
const unavailable = { status: 503, error: { message: "unavailable" } };

function servedBy(response: Response): string | undefined {
  return /provider=([^;]+)/.exec(response.headers.get("x-hedge-route") ?? "")?.[1];
}

describe("circuit breaker", () => {
  it("opens after the threshold, excludes the route, lets one half-open probe through after the cooldown, re-opens on a failed probe and closes on a good one", async () => {
    const h = (harness = await startHarness({
      upstreams: ["a", "b"],
      providers: (urls) => ({ "lab-a": labProvider(urls.a), "lab-b": labProvider(urls.b) }),
      aliases: { m: "lab-a/m" },
      routing: {
        retry: FAST_RETRY,
        breaker: { failure_threshold: 3, cooldown_ms: COOLDOWN },
        models: { "lab-a/m": { fallbacks: ["lab-b/m"] } },
      },
    }));
    h.up.b.push({ text: "from b", repeat: true });

    // Two failures (one try and its retry): still closed.
    h.up.a.push(unavailable, unavailable, unavailable);
    expect(servedBy(await h.chat("m"))).toBe("lab-b");
    expect(h.up.a.requests).toHaveLength(2);
    expect(await h.breaker("lab-a:none")).toMatchObject({
      state: "closed",
      consecutiveFailures: 2,
    });

    // The third consecutive failure opens it; the open route is not retried within the request.
    expect(servedBy(await h.chat("m"))).toBe("lab-b");
    expect(h.up.a.requests).toHaveLength(3);
    expect(await h.breaker("lab-a:none")).toMatchObject({ state: "open", openedAt: START });
    let explained = await h.explain("m");
    expect(explained.plan.excluded).toContainEqual({
      route: "lab-a:none",
      provider: "lab-a",
      kind: "unavailable",
      reason: "circuit open after 3 consecutive failure(s)",
      until: START + COOLDOWN,
    });
    expect(explained.plan.attempts.map((attempt) => attempt.id)).toEqual(["lab-b:none"]);

    // While open, the route is not called at all.
    h.clock.advance(COOLDOWN - 1);
    expect(servedBy(await h.chat("m"))).toBe("lab-b");
    expect(h.up.a.requests).toHaveLength(3);

    // After the cooldown it is a candidate again; the probe fails: exactly one call, re-opened.
    h.clock.advance(1);
    explained = await h.explain("m");
    expect(explained.plan.attempts.map((attempt) => attempt.id)).toEqual([
      "lab-a:none",
      "lab-b:none",
    ]);
    h.up.a.push(unavailable);
    expect(servedBy(await h.chat("m"))).toBe("lab-b");
    expect(h.up.a.requests).toHaveLength(4);
    expect(await h.breaker("lab-a:none")).toMatchObject({
      state: "open",
      openedAt: START + COOLDOWN,
    });
    explained = await h.explain("m");
    expect(explained.plan.excluded).toContainEqual(
      expect.objectContaining({ route: "lab-a:none", until: START + 2 * COOLDOWN }),
    );

    // Next cooldown over: two requests at once, only one of them probes; the probe closes it.
    h.clock.advance(COOLDOWN);
    h.up.a.push({ text: "a is back", latencyMs: 300 });
    const both = await Promise.all([h.chat("m"), h.chat("m")]);
    expect(both.map((response) => response.status)).toEqual([200, 200]);
    expect(both.map(servedBy).sort()).toEqual(["lab-a", "lab-b"]);
    expect(h.up.a.requests).toHaveLength(5);
    expect(await h.breaker("lab-a:none")).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
    });

    h.up.a.push({ text: "a again" });
    expect(servedBy(await h.chat("m"))).toBe("lab-a");
    expect(h.up.a.requests).toHaveLength(6);
  });

  it("opens on the failure ratio over the minimum number of calls", async () => {
    const h = (harness = await startHarness({
      upstreams: ["a", "b"],
      providers: (urls) => ({ "lab-a": labProvider(urls.a), "lab-b": labProvider(urls.b) }),
      aliases: { m: "lab-a/m" },
      routing: {
        retry: { ...FAST_RETRY, same_route: 0 },
        breaker: { failure_threshold: 10, failure_ratio: 0.5, min_calls: 4 },
        models: { "lab-a/m": { fallbacks: ["lab-b/m"] } },
      },
    }));
    h.up.b.push({ text: "from b", repeat: true });
    // fail, ok, ok, fail: 2 of 4 calls failed, never two in a row. (A route with a clean record
    // writes nothing on success, so the window starts at its first failure.)
    h.up.a.push(unavailable, { text: "2" }, { text: "3" }, unavailable);
    const served = [];
    for (let index = 0; index < 4; index += 1) served.push(servedBy(await h.chat("m")));
    expect(served).toEqual(["lab-b", "lab-a", "lab-a", "lab-b"]);
    expect(await h.breaker("lab-a:none")).toMatchObject({
      state: "open",
      consecutiveFailures: 1,
    });
    expect(servedBy(await h.chat("m"))).toBe("lab-b");
    expect(h.up.a.requests).toHaveLength(4);
  });
});
