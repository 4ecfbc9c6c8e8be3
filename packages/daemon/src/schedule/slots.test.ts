import { describe, expect, it } from "vitest";
import { assertCron, assertTimezone, parseDuration, type Schedule } from "./schedule.js";
import { latestSlotAtOrBefore, nextSlotAfter, slotsAfter } from "./slots.js";

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const cron = (expr: string, tz: string): Schedule => ({ kind: "cron", expr, tz });

describe("cron slots (croner, fake instants only)", () => {
  it("a fixed-time job in a spring-forward gap runs once at the first valid time", () => {
    const { slots } = slotsAfter(
      cron("30 2 * * *", "America/New_York"),
      at("2026-03-07T12:00:00Z"),
      at("2026-03-10T12:00:00Z"),
      10,
    );
    expect(slots.map(iso)).toEqual([
      "2026-03-08T07:00:00.000Z", // 03:00 EDT: 02:30 does not exist that day
      "2026-03-09T06:30:00.000Z",
      "2026-03-10T06:30:00.000Z",
    ]);
  });

  it("a fixed-time job in a fall-back overlap runs once", () => {
    const { slots } = slotsAfter(
      cron("30 1 * * *", "America/New_York"),
      at("2026-11-01T00:00:00Z"),
      at("2026-11-01T12:00:00Z"),
      10,
    );
    expect(slots.map(iso)).toEqual(["2026-11-01T05:30:00.000Z"]);
  });

  it("an interval job runs on both occurrences of the repeated hour", () => {
    const { slots } = slotsAfter(
      cron("*/30 * * * *", "America/New_York"),
      at("2026-11-01T04:45:00Z"),
      at("2026-11-01T06:45:00Z"),
      10,
    );
    expect(slots.map(iso)).toEqual([
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T06:30:00.000Z",
    ]);
  });

  it("weekday catch-up across a weekend finds no weekend slot (anthropics/claude-code#93687)", () => {
    const weekdays = cron("0 9 * * 1-5", "Europe/Berlin");
    const friday = at("2026-03-06T10:00:00Z");
    // Monday 08:30 Berlin: the last slot at or before is still Friday's; nothing is owed.
    expect(slotsAfter(weekdays, friday, at("2026-03-09T07:30:00Z"), 100).slots).toEqual([]);
    expect(iso(latestSlotAtOrBefore(weekdays, at("2026-03-09T07:30:00Z"))!)).toBe(
      "2026-03-06T08:00:00.000Z",
    );
    // Monday 09:30 Berlin: exactly Monday 09:00.
    expect(slotsAfter(weekdays, friday, at("2026-03-09T08:30:00Z"), 100).slots.map(iso)).toEqual([
      "2026-03-09T08:00:00.000Z",
    ]);
  });

  it("day-of-month and day-of-week are OR-ed (Vixie cron)", () => {
    const { slots } = slotsAfter(
      cron("0 0 1 * MON", "UTC"),
      at("2026-06-29T01:00:00Z"),
      at("2026-07-07T00:00:00Z"),
      10,
    );
    expect(slots.map(iso)).toEqual(["2026-07-01T00:00:00.000Z", "2026-07-06T00:00:00.000Z"]);
  });

  it("windows are (after, until]: exclusive start, inclusive end", () => {
    const hourly = cron("0 * * * *", "UTC");
    expect(
      slotsAfter(hourly, at("2026-01-01T01:00:00Z"), at("2026-01-01T03:00:00Z"), 10).slots.map(iso),
    ).toEqual(["2026-01-01T02:00:00.000Z", "2026-01-01T03:00:00.000Z"]);
    expect(latestSlotAtOrBefore(hourly, at("2026-01-01T03:00:00Z"))).toBe(
      at("2026-01-01T03:00:00Z"),
    );
    expect(nextSlotAfter(hourly, at("2026-01-01T03:00:00Z"))).toBe(at("2026-01-01T04:00:00Z"));
  });

  it("enumeration is capped and says so", () => {
    const minutely = cron("* * * * *", "UTC");
    const window = slotsAfter(
      minutely,
      at("2026-01-01T00:00:00Z"),
      at("2026-01-08T00:00:00Z"),
      1000,
    );
    expect(window.slots).toHaveLength(1000);
    expect(window.truncated).toBe(true);
    const exact = slotsAfter(minutely, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:05:00Z"), 5);
    expect(exact).toEqual({ slots: exact.slots, truncated: false });
  });
});

describe("every and at slots", () => {
  const every: Schedule = { kind: "every", periodMs: 5000, anchorMs: 10_000 };

  it("slots are anchor + k·period in (after, until], capped", () => {
    expect(slotsAfter(every, 10_000, 30_000, 10)).toEqual({
      slots: [15_000, 20_000, 25_000, 30_000],
      truncated: false,
    });
    expect(slotsAfter(every, 0, 30_000, 2)).toEqual({ slots: [10_000, 15_000], truncated: true });
    expect(latestSlotAtOrBefore(every, 24_999)).toBe(20_000);
    expect(nextSlotAfter(every, 25_000)).toBe(30_000);
  });

  it("an at slot falls once", () => {
    const once: Schedule = { kind: "at", atMs: 50 };
    expect(slotsAfter(once, 0, 100, 10).slots).toEqual([50]);
    expect(slotsAfter(once, 50, 100, 10).slots).toEqual([]);
  });
});

describe("bad schedules get one clear line", () => {
  it("an unknown timezone, a bad pattern, seconds fields, a bad duration", () => {
    expect(() => assertTimezone("Mars/Olympus")).toThrow(/not a known timezone/);
    expect(() => assertCron("61 * * * *", "UTC")).toThrow(/not a cron pattern/);
    expect(() => assertCron("0 0 1 1 * 2020", "UTC")).toThrow(/not a cron pattern/);
    expect(() => assertCron("@reboot", "UTC")).toThrow(/not a cron pattern/);
    expect(() => parseDuration("soon", "--every")).toThrow(/not a duration/);
    expect(parseDuration("1h30m", "--every")).toBe(5_400_000);
  });
});
