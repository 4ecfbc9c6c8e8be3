import type { StatsGrouping, StatsRow } from "@hedge/model-spec";
import type { AuditEntry } from "../store/store.js";

/**
 * Per-minute and per-day sums of model calls, by every `hedge stats` grouping, kept in the Store
 * next to the raw audit log. The raw log is pruned by age and count (at 19k req/s the default
 * 100,000 rows are 5 s of history); rollups are a few KB per minute whatever the rate, so stats
 * over any period are complete. Percentiles come from a fixed histogram (approximate).
 */
export interface Rollup {
  v: 1;
  /** Grouping -> group key -> sums. */
  groups: Partial<Record<StatsGrouping, Record<string, RollupSums>>>;
}

/** The sums of one group in one bucket. */
export interface RollupSums {
  calls: number;
  errors: number;
  cancelled: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  tool_calls: number;
  cost_usd: number;
  unpriced_calls: number;
  qa: { pass: number; add_tasks: number; block: number };
  /** Counts per `LATENCY_BOUNDS_MS` bucket (the last one is open-ended). */
  latency: number[];
  ttft: number[];
}

export const ROLLUP_GROUPINGS: readonly StatsGrouping[] = [
  "role",
  "model",
  "profile",
  "provider",
  "verdict",
];
/** Upper bounds of the latency histogram's buckets, in ms (a last bucket holds the rest). */
export const LATENCY_BOUNDS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 15_000,
  20_000, 30_000, 60_000, 120_000, 300_000,
];
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** Minute buckets are kept 8 days (a week's stats by the minute), day buckets 400 days. */
export const MINUTE_KEEP_MS = 8 * DAY_MS;
export const DAY_KEEP_MS = 400 * DAY_MS;

export const minuteKey = (start: number): string => `stats:m:${start}`;
export const dayKey = (start: number): string => `stats:d:${start}`;

/** The group key of a call record under a grouping (`-` when the record has none). */
export function groupKey(call: NonNullable<AuditEntry["call"]>, by: StatsGrouping): string {
  switch (by) {
    case "role":
      return call.role ?? "-";
    case "model":
      return call.model;
    case "profile":
      return call.profile ?? "-";
    case "provider":
      return call.provider ?? "-";
    case "verdict":
      return call.qa_verdict ?? "-";
  }
}

export function emptySums(): RollupSums {
  return {
    calls: 0,
    errors: 0,
    cancelled: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    tool_calls: 0,
    cost_usd: 0,
    unpriced_calls: 0,
    qa: { pass: 0, add_tasks: 0, block: 0 },
    latency: [],
    ttft: [],
  };
}

function bucketOf(ms: number): number {
  let index = 0;
  while (index < LATENCY_BOUNDS_MS.length && ms > (LATENCY_BOUNDS_MS[index] as number)) index += 1;
  return index;
}

/** The counters a stats row and a rollup share. */
export type CallCounts = Pick<
  RollupSums,
  | "calls"
  | "cancelled"
  | "errors"
  | "input_tokens"
  | "cached_input_tokens"
  | "output_tokens"
  | "tool_calls"
  | "unpriced_calls"
  | "cost_usd"
  | "qa"
>;

/**
 * Counts one call record into `counts`: a QA verdict only as a verdict (returns false: it is no
 * model call), anything else as a call with its outcome, tokens and cost (returns true).
 */
export function countCall(counts: CallCounts, call: NonNullable<AuditEntry["call"]>): boolean {
  const verdict = call.qa_verdict;
  if (verdict) {
    if (verdict === "pass" || verdict === "add_tasks" || verdict === "block")
      counts.qa[verdict] += 1;
    return false;
  }
  counts.calls += 1;
  if (call.outcome === "client_closed") counts.cancelled += 1;
  else if (call.outcome !== "ok") counts.errors += 1;
  counts.input_tokens += call.input_tokens;
  counts.cached_input_tokens += call.cached_input_tokens;
  counts.output_tokens += call.output_tokens;
  counts.tool_calls += call.tool_calls;
  if (call.cost_usd === undefined) counts.unpriced_calls += 1;
  else counts.cost_usd += call.cost_usd;
  return true;
}

/** Adds one audit entry's call record to `sums` (a QA verdict counts only as a verdict). */
export function addCall(sums: RollupSums, call: NonNullable<AuditEntry["call"]>): void {
  if (!countCall(sums, call)) return;
  const latency = bucketOf(call.latency_ms);
  sums.latency[latency] = (sums.latency[latency] ?? 0) + 1;
  if (call.ttft_ms !== undefined) {
    const ttft = bucketOf(call.ttft_ms);
    sums.ttft[ttft] = (sums.ttft[ttft] ?? 0) + 1;
  }
}

/** `into` plus `other`, in place. */
export function addSums(into: RollupSums, other: RollupSums): void {
  into.calls += other.calls;
  into.errors += other.errors;
  into.cancelled += other.cancelled;
  into.input_tokens += other.input_tokens;
  into.cached_input_tokens += other.cached_input_tokens;
  into.output_tokens += other.output_tokens;
  into.tool_calls += other.tool_calls;
  into.cost_usd += other.cost_usd;
  into.unpriced_calls += other.unpriced_calls;
  into.qa.pass += other.qa.pass;
  into.qa.add_tasks += other.qa.add_tasks;
  into.qa.block += other.qa.block;
  other.latency.forEach((count, index) => {
    into.latency[index] = (into.latency[index] ?? 0) + (count ?? 0);
  });
  other.ttft.forEach((count, index) => {
    into.ttft[index] = (into.ttft[index] ?? 0) + (count ?? 0);
  });
}

/** The rollups of a batch of audit entries, by bucket key (minute and day). */
export function rollupsOf(entries: readonly AuditEntry[]): Map<string, Rollup> {
  const rollups = new Map<string, Rollup>();
  for (const entry of entries) {
    const call = entry.call;
    if (!call) continue;
    const minute = Math.floor(entry.at / MINUTE_MS) * MINUTE_MS;
    const day = Math.floor(entry.at / DAY_MS) * DAY_MS;
    for (const key of [minuteKey(minute), dayKey(day)]) {
      let rollup = rollups.get(key);
      if (!rollup) {
        rollup = { v: 1, groups: {} };
        rollups.set(key, rollup);
      }
      for (const by of ROLLUP_GROUPINGS) {
        const groups = (rollup.groups[by] ??= {});
        const group = groupKey(call, by);
        addCall((groups[group] ??= emptySums()), call);
      }
    }
  }
  return rollups;
}

/** Two rollups of one bucket added (the Store's copy and a new batch's). */
export function mergeRollups(stored: Rollup | undefined, added: Rollup): Rollup {
  if (!stored || stored.v !== 1) return added;
  for (const [by, groups] of Object.entries(added.groups) as [
    StatsGrouping,
    Record<string, RollupSums>,
  ][]) {
    const into = (stored.groups[by] ??= {});
    for (const [key, sums] of Object.entries(groups)) {
      const existing = into[key];
      if (existing) addSums(existing, sums);
      else into[key] = sums;
    }
  }
  return stored;
}

/** The median of a histogram: the upper bound of the bucket holding the middle call. */
export function histogramMedian(counts: readonly number[]): number | null {
  const total = counts.reduce((sum, count) => sum + (count ?? 0), 0);
  if (total === 0) return null;
  const middle = Math.floor((total - 1) / 2);
  let seen = 0;
  for (let index = 0; index < counts.length; index += 1) {
    seen += counts[index] ?? 0;
    if (seen > middle) return LATENCY_BOUNDS_MS[index] ?? (LATENCY_BOUNDS_MS.at(-1) as number) * 2;
  }
  return null;
}

/** A stats row from sums (percentiles from the histogram). */
export function rowOf(key: string, sums: RollupSums): StatsRow {
  return {
    key,
    calls: sums.calls,
    errors: sums.errors,
    cancelled: sums.cancelled,
    input_tokens: sums.input_tokens,
    cached_input_tokens: sums.cached_input_tokens,
    output_tokens: sums.output_tokens,
    tool_calls: sums.tool_calls,
    cost_usd: sums.cost_usd,
    unpriced_calls: sums.unpriced_calls,
    p50_latency_ms: histogramMedian(sums.latency),
    p50_ttft_ms: histogramMedian(sums.ttft),
    qa: { ...sums.qa },
  };
}
