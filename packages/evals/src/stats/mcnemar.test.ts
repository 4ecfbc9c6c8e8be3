import { describe, expect, it } from "vitest";
import { mcnemarExact } from "./mcnemar.js";

describe("mcnemarExact", () => {
  // scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue
  it.each([
    [0, 6, 0.03125],
    [1, 7, 0.0703125],
    [2, 8, 0.109375],
    [0, 5, 0.0625],
    [3, 3, 1.0],
    [7, 1, 0.0703125],
  ])("b=%i c=%i gives p=%f", (b, c, p) => {
    expect(mcnemarExact(b, c)).toBeCloseTo(p, 10);
  });

  it("is 1 when no pair differs", () => {
    expect(mcnemarExact(0, 0)).toBe(1);
  });
});
