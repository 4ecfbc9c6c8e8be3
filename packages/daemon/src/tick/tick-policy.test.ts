import { describe, expect, it } from "vitest";
import { decideSlots, type SlotDecisionInput } from "./tick-policy.js";

const base: Omit<SlotDecisionInput, "slots" | "missed"> = {
  truncated: false,
  now: 100_000,
  graceMs: 2000,
  missedMaxAgeMs: 86_400_000,
};
const late = [10_000, 20_000, 30_000, 40_000];

describe("decideSlots: what a tick does with unaccounted slots", () => {
  it("queues on-time slots", () => {
    expect(decideSlots({ ...base, missed: "once", slots: [99_000] })).toEqual([
      expect.objectContaining({ scheduledFor: 99_000, status: "queued", trigger: "schedule" }),
    ]);
  });

  it("once: only the latest missed slot runs, the rest are one skipped row (no storm)", () => {
    const rows = decideSlots({ ...base, missed: "once", slots: late });
    expect(rows).toEqual([
      expect.objectContaining({
        scheduledFor: 10_000,
        status: "skipped",
        reason: "missed",
        collapsedUntilMs: 30_000,
        collapsedCount: 3,
      }),
      expect.objectContaining({ scheduledFor: 40_000, status: "queued", trigger: "catchup" }),
    ]);
  });

  it("once: an on-time slot supersedes the catch-up", () => {
    const rows = decideSlots({ ...base, missed: "once", slots: [...late, 99_500] });
    expect(rows.filter((row) => row.status === "queued").map((row) => row.scheduledFor)).toEqual([
      99_500,
    ]);
    expect(rows[0]).toEqual(expect.objectContaining({ status: "skipped", collapsedCount: 4 }));
  });

  it("once: a catch-up older than the max age is skipped as too old", () => {
    const rows = decideSlots({ ...base, missed: "once", missedMaxAgeMs: 30_000, slots: late });
    expect(rows.at(-1)).toEqual(
      expect.objectContaining({
        scheduledFor: 40_000,
        status: "skipped",
        reason: "missed_too_old",
      }),
    );
  });

  it("once: a truncated batch is never the newest, so nothing in it runs", () => {
    const rows = decideSlots({ ...base, missed: "once", truncated: true, slots: late });
    expect(rows.every((row) => row.status === "skipped")).toBe(true);
  });

  it("skip: missed slots are one skipped row, nothing runs", () => {
    expect(decideSlots({ ...base, missed: "skip", slots: late })).toEqual([
      expect.objectContaining({
        scheduledFor: 10_000,
        status: "skipped",
        collapsedCount: 4,
        collapsedUntilMs: 40_000,
      }),
    ]);
  });

  it("all: every missed slot is queued as a catch-up, oldest first", () => {
    expect(
      decideSlots({ ...base, missed: "all", slots: late }).map((row) => [
        row.scheduledFor,
        row.status,
        row.trigger,
      ]),
    ).toEqual(late.map((slot) => [slot, "queued", "catchup"]));
  });
});
