import { describe, expect, it } from "vitest";
import { passAtK } from "./pass-at-k.js";

describe("passAtK", () => {
  it("is c/n at k = 1", () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
  });

  it("matches 1 - C(n-c, k)/C(n, k)", () => {
    // C(7,2)/C(10,2) = 21/45
    expect(passAtK(10, 3, 2)).toBeCloseTo(1 - 21 / 45, 12);
    expect(passAtK(5, 4, 2)).toBe(1);
    expect(passAtK(5, 0, 3)).toBe(0);
  });

  it("refuses k > n", () => {
    expect(() => passAtK(2, 1, 3)).toThrow(/at least 3 samples/);
  });
});
