import { cronFor, type Schedule } from "./schedule.js";

/** Slots in `(afterMs, untilMs]`, ascending, at most `limit`. */
export interface SlotWindow {
  slots: number[];
  /** More slots exist in the window beyond `limit`: the caller continues next tick. */
  truncated: boolean;
}

/** Every slot `s` of `schedule` with `afterMs < s ≤ untilMs`, capped at `limit`. */
export function slotsAfter(
  schedule: Schedule,
  afterMs: number,
  untilMs: number,
  limit: number,
): SlotWindow {
  if (untilMs <= afterMs || limit <= 0) return { slots: [], truncated: false };
  switch (schedule.kind) {
    case "event":
      return { slots: [], truncated: false };
    case "at":
      return {
        slots: schedule.atMs > afterMs && schedule.atMs <= untilMs ? [schedule.atMs] : [],
        truncated: false,
      };
    case "every": {
      const { periodMs, anchorMs } = schedule;
      // First k with anchor + k·period > afterMs (k ≥ 0).
      const firstK = Math.max(0, Math.floor((afterMs - anchorMs) / periodMs) + 1);
      const slots: number[] = [];
      for (let k = firstK; slots.length < limit; k += 1) {
        const slot = anchorMs + k * periodMs;
        if (slot > untilMs) return { slots, truncated: false };
        slots.push(slot);
      }
      return { slots, truncated: anchorMs + (firstK + limit) * periodMs <= untilMs };
    }
    case "cron": {
      const cron = cronFor(schedule.expr, schedule.tz);
      // nextRuns(n, t) is strictly after t; ask for one more to learn whether we truncated.
      const found = cron
        .nextRuns(limit + 1, new Date(afterMs))
        .map((date) => date.getTime())
        .filter((slot) => slot <= untilMs);
      return { slots: found.slice(0, limit), truncated: found.length > limit };
    }
  }
}

/** The latest slot at or before `atMs`, or null. */
export function latestSlotAtOrBefore(schedule: Schedule, atMs: number): number | null {
  switch (schedule.kind) {
    case "event":
      return null;
    case "at":
      return schedule.atMs <= atMs ? schedule.atMs : null;
    case "every":
      if (atMs < schedule.anchorMs) return null;
      return (
        schedule.anchorMs +
        Math.floor((atMs - schedule.anchorMs) / schedule.periodMs) * schedule.periodMs
      );
    case "cron": {
      // previousRuns excludes a slot exactly at the reference: look from one ms later.
      const [previous] = cronFor(schedule.expr, schedule.tz).previousRuns(1, new Date(atMs + 1));
      return previous ? previous.getTime() : null;
    }
  }
}

/** The first slot strictly after `afterMs`, or null. */
export function nextSlotAfter(schedule: Schedule, afterMs: number): number | null {
  switch (schedule.kind) {
    case "event":
      return null;
    case "at":
      return schedule.atMs > afterMs ? schedule.atMs : null;
    case "every": {
      const k = Math.max(0, Math.floor((afterMs - schedule.anchorMs) / schedule.periodMs) + 1);
      return schedule.anchorMs + k * schedule.periodMs;
    }
    case "cron": {
      const next = cronFor(schedule.expr, schedule.tz).nextRun(new Date(afterMs));
      return next ? next.getTime() : null;
    }
  }
}
