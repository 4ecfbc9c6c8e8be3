import type { MissedPolicy, SlotRow } from "../ledger/types.js";

/** What the policy needs to know about one loop at one tick. */
export interface SlotDecisionInput {
  /** Slots not yet accounted for, ascending (from `slotsAfter(cursor, now]`). */
  slots: readonly number[];
  /** More slots follow in the window: this batch is not the newest. */
  truncated: boolean;
  now: number;
  /** A slot no older than this is on time; older ones were missed (daemon down, asleep). */
  graceMs: number;
  missed: MissedPolicy;
  missedMaxAgeMs: number;
}

function skippedRange(slots: readonly number[], reason: string): SlotRow[] {
  const first = slots[0];
  const last = slots[slots.length - 1];
  if (first === undefined || last === undefined) return [];
  // One row stands for the whole range: a week offline is one line, not ten thousand.
  return [
    {
      scheduledFor: first,
      trigger: "schedule",
      status: "skipped",
      reason,
      collapsedUntilMs: slots.length > 1 ? last : null,
      collapsedCount: slots.length > 1 ? slots.length : null,
    },
  ];
}

function queued(slot: number, trigger: "schedule" | "catchup"): SlotRow {
  return {
    scheduledFor: slot,
    trigger,
    status: "queued",
    reason: null,
    collapsedUntilMs: null,
    collapsedCount: null,
  };
}

/**
 * The rows for a loop's unaccounted slots. Pure: the same input always gives the same rows.
 * - on-time slots are queued;
 * - `skip`: missed slots become one skipped row;
 * - `once`: the latest missed slot runs (as a catch-up) unless an on-time slot supersedes it
 *   or it is older than `missedMaxAgeMs`; the others become one skipped row;
 * - `all`: every missed slot is queued, oldest first.
 * A truncated batch is never the newest, so under `once` it is skipped whole: the catch-up, if
 * any, comes from the last batch.
 */
export function decideSlots(input: SlotDecisionInput): SlotRow[] {
  const late = input.slots.filter((slot) => input.now - slot > input.graceMs);
  const onTime = input.slots.filter((slot) => input.now - slot <= input.graceMs);
  const rows: SlotRow[] = [];
  if (input.missed === "all") {
    rows.push(...late.map((slot) => queued(slot, "catchup")));
  } else if (input.missed === "skip" || onTime.length > 0 || input.truncated) {
    rows.push(...skippedRange(late, "missed"));
  } else {
    const latest = late[late.length - 1];
    rows.push(...skippedRange(late.slice(0, -1), "missed"));
    if (latest !== undefined) {
      rows.push(
        input.now - latest <= input.missedMaxAgeMs
          ? queued(latest, "catchup")
          : skippedRange([latest], "missed_too_old")[0]!,
      );
    }
  }
  rows.push(...onTime.map((slot) => queued(slot, "schedule")));
  return rows;
}
