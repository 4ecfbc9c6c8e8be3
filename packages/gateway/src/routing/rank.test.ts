import { describe, expect, it } from "vitest";
import { rankRoutes, updateEwma, type RankCandidate } from "./rank.js";

function ids(routes: readonly RankCandidate[]): string[] {
  return routes.map((route) => route.id);
}

/** A deterministic sequence of draws. */
function draws(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

const routes: RankCandidate[] = [
  { id: "c", declaredIndex: 2, pricePerMTok: { input: 0.25, output: 2 }, ewmaTtftMs: 300 },
  { id: "a", declaredIndex: 0, pricePerMTok: { input: 3, output: 15 }, ewmaTtftMs: 900 },
  { id: "d", declaredIndex: 3 },
  {
    id: "b",
    declaredIndex: 1,
    pricePerMTok: { input: 1.25, output: 10 },
    ewmaTtftMs: 300,
    ewmaLatencyMs: 2000,
  },
];

describe("rankRoutes", () => {
  it("priority keeps the declared order and leaves the input alone", () => {
    const before = ids(routes);
    expect(ids(rankRoutes(routes, "priority"))).toEqual(["a", "b", "c", "d"]);
    expect(ids(routes)).toEqual(before);
  });

  it("cheapest orders by input + output price, unknown last, ties by declared order", () => {
    expect(ids(rankRoutes(routes, "cheapest"))).toEqual(["c", "b", "a", "d"]);
    const tied: RankCandidate[] = [
      { id: "y", declaredIndex: 1, pricePerMTok: { input: 1, output: 1 } },
      { id: "x", declaredIndex: 0, pricePerMTok: { input: 0.5, output: 1.5 } },
    ];
    expect(ids(rankRoutes(tied, "cheapest"))).toEqual(["x", "y"]);
  });

  it("fastest orders by TTFT then latency, unmeasured routes first to learn them", () => {
    // d has no measurement; b and c tie on TTFT and c has no latency yet.
    expect(ids(rankRoutes(routes, "fastest"))).toEqual(["d", "c", "b", "a"]);
    const measured = routes.filter((route) => route.id !== "d" && route.id !== "c");
    expect(ids(rankRoutes(measured, "fastest"))).toEqual(["b", "a"]);
  });

  it("weighted puts heavier routes first more often and weight 0 last", () => {
    const weighted: RankCandidate[] = [
      { id: "heavy", declaredIndex: 0, weight: 9 },
      { id: "light", declaredIndex: 1, weight: 1 },
      { id: "off", declaredIndex: 2, weight: 0 },
    ];
    const seeded = mulberry32(42);
    const firsts = { heavy: 0, light: 0, off: 0 };
    for (let i = 0; i < 4000; i += 1) {
      const ranked = ids(rankRoutes(weighted, "weighted", { random: seeded }));
      expect(ranked[2]).toBe("off");
      firsts[ranked[0] as keyof typeof firsts] += 1;
    }
    expect(firsts.off).toBe(0);
    // Expected share 0.9; a seeded generator keeps this exact run stable.
    expect(firsts.heavy / 4000).toBeGreaterThan(0.86);
    expect(firsts.heavy / 4000).toBeLessThan(0.94);
  });

  it("weighted treats a missing weight as 1", () => {
    const even: RankCandidate[] = [
      { id: "p", declaredIndex: 0 },
      { id: "q", declaredIndex: 1, weight: 1 },
    ];
    // p draws u = 0.9 (key -ln 0.1 = 2.3), q draws u = 0.1 (key -ln 0.9 = 0.1): q first.
    expect(ids(rankRoutes(even, "weighted", { random: draws(0.9, 0.1) }))).toEqual(["q", "p"]);
  });

  it("puts the sticky route first whatever the strategy", () => {
    for (const strategy of ["priority", "cheapest", "fastest", "weighted"] as const) {
      expect(ids(rankRoutes(routes, strategy, { sticky: "a", random: draws(0.5) }))[0]).toBe("a");
    }
    const weighted: RankCandidate[] = [
      { id: "on", declaredIndex: 0 },
      { id: "off", declaredIndex: 1, weight: 0 },
    ];
    expect(ids(rankRoutes(weighted, "weighted", { sticky: "off" }))).toEqual(["off", "on"]);
  });

  it("ignores a sticky route that is no longer a candidate", () => {
    expect(ids(rankRoutes(routes, "priority", { sticky: "gone" }))).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the caller's own fields", () => {
    const rich = [{ id: "r", declaredIndex: 0, attempt: { provider: "openai" } }];
    expect(rankRoutes(rich, "priority")[0]?.attempt.provider).toBe("openai");
  });
});

describe("updateEwma", () => {
  it("seeds with the first sample, then moves alpha of the way toward each sample", () => {
    expect(updateEwma(undefined, 100)).toBe(100);
    expect(updateEwma(100, 200)).toBeCloseTo(120);
    expect(updateEwma(100, 200, 0.5)).toBe(150);
  });

  it("ignores samples that are not finite non-negative numbers", () => {
    expect(updateEwma(100, Number.NaN)).toBe(100);
    expect(updateEwma(100, -5)).toBe(100);
    expect(updateEwma(undefined, Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

/** Small seeded PRNG so the weighted test is reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
