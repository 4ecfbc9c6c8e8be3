import { describe, expect, it } from "vitest";
import { formatRate, wilson } from "./wilson.js";

// Known values: scipy.stats.binomtest(x, n).proportion_ci(method="wilson") (design notes §1).
const KNOWN: [number, number, number, number][] = [
  [0, 10, 0.0, 0.2775],
  [8, 10, 0.4902, 0.9433],
  [10, 10, 0.7225, 1.0],
  [10, 20, 0.2993, 0.7007],
  [20, 25, 0.6087, 0.9114],
  [1, 25, 0.0071, 0.1954],
  [81, 100, 0.7222, 0.8749],
  [0, 1, 0.0, 0.7935],
  [1, 1, 0.2065, 1.0],
];

describe("wilson", () => {
  it.each(KNOWN)("%i/%i has the known 95%% interval", (x, n, low, high) => {
    const rate = wilson(x, n);
    expect(rate.low).toBeCloseTo(low, 4);
    expect(rate.high).toBeCloseTo(high, 4);
    expect(rate.p).toBe(x / n);
  });

  it("has no interval at n = 0", () => {
    expect(wilson(0, 0)).toEqual({ x: 0, n: 0, p: null, low: null, high: null });
    expect(formatRate(wilson(0, 0))).toBe("0/0 = n/a");
  });

  it("prints x/n, p and the interval", () => {
    expect(formatRate(wilson(8, 10))).toBe("8/10 = 0.80 [0.49, 0.94]");
  });
});
