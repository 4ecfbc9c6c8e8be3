import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Deadlines } from "./deadlines.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("Deadlines (one timer for every body being read)", () => {
  it("expires a wait once its length has passed, never one that stopped first", () => {
    const deadlines = new Deadlines(100);
    const expired: string[] = [];
    deadlines.start(() => expired.push("slow"));
    const stop = deadlines.start(() => expired.push("stopped"));
    vi.advanceTimersByTime(50);
    stop();
    vi.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    // Within a quarter of the wait's length after its deadline.
    vi.advanceTimersByTime(26);
    expect(expired).toEqual(["slow"]);
  });

  it("keeps no timer while nothing waits, and starts one again for the next wait", () => {
    const deadlines = new Deadlines(100);
    const expired: number[] = [];
    deadlines.start(() => expired.push(1))();
    vi.advanceTimersByTime(25);
    expect(vi.getTimerCount()).toBe(0);
    deadlines.start(() => expired.push(2));
    vi.advanceTimersByTime(125);
    expect(expired).toEqual([2]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
