import { getEventListeners } from "node:events";
import { afterEach, expect, it, vi } from "vitest";
import { waitForReset } from "./usage-wait.js";

afterEach(() => {
  vi.useRealTimers();
});

it("counts down to the reset without leaving a listener on the signal per second", async () => {
  vi.useFakeTimers();
  const stop = new AbortController();
  const written: string[] = [];
  const waiting = waitForReset(
    Date.now() + 15_000,
    "every profile is at its limit (lab/a: requests)",
    stop.signal,
    (text) => written.push(text),
  );
  await vi.advanceTimersByTimeAsync(17_000);
  await waiting;
  expect(written[0]).toMatch(/^hedge: every profile is at its limit; waiting for the reset at /);
  expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
});

it("stops waiting when the signal aborts", async () => {
  vi.useFakeTimers();
  const stop = new AbortController();
  const waiting = waitForReset(Date.now() + 3_600_000, "limited", stop.signal, () => undefined);
  await vi.advanceTimersByTimeAsync(5_000);
  stop.abort();
  await waiting;
  expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
});
