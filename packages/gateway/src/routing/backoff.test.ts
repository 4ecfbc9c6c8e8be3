import { describe, expect, it } from "vitest";
import { backoffDelay, withinBudget } from "./backoff.js";

describe("backoffDelay", () => {
  it("doubles the jitter ceiling per attempt up to the cap", () => {
    const top = (attempt: number): number => backoffDelay(attempt, { random: () => 1 });
    expect([0, 1, 2, 3, 4, 5, 6].map(top)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it("draws uniformly below the ceiling (full jitter)", () => {
    expect(backoffDelay(2, { random: () => 0 })).toBe(0);
    expect(backoffDelay(2, { random: () => 0.5 })).toBe(400);
    expect(backoffDelay(1, { baseMs: 1000, maxMs: 1500, random: () => 0.5 })).toBe(750);
  });

  it("stays within bounds for any draw and any attempt", () => {
    for (let attempt = 0; attempt < 2000; attempt += 97) {
      const delay = backoffDelay(attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(5000);
      expect(Number.isInteger(delay)).toBe(true);
    }
    expect(backoffDelay(-3, { random: () => 1 })).toBe(200);
    expect(backoffDelay(Number.NaN, { random: () => 1 })).toBe(200);
    expect(backoffDelay(Number.POSITIVE_INFINITY, { random: () => 1 })).toBe(200);
    expect(backoffDelay(1, { random: () => Number.NaN })).toBe(200);
  });
});

describe("withinBudget", () => {
  it("allows what ends by the deadline and refuses what would overrun it", () => {
    expect(withinBudget(10_000, 9_000, 1_000)).toBe(true);
    expect(withinBudget(10_000, 9_000, 1_001)).toBe(false);
    expect(withinBudget(10_000, 11_000, 0)).toBe(false);
    expect(withinBudget(10_000, 9_000, -50)).toBe(true);
  });
});
