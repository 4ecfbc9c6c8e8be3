import type { StatsGrouping, StatsQuery, StatsRow, StatsView } from "@hedge/model-spec";
import {
  addCall,
  addSums,
  DAY_KEEP_MS,
  DAY_MS,
  dayKey,
  emptySums,
  groupKey,
  MINUTE_MS,
  minuteKey,
  rowOf,
  type Rollup,
  type RollupSums,
  countCall,
} from "../stats/rollup.js";
import type { AuditEntry, Store } from "../store/store.js";

/**
 * `hedge stats --json`: every model call recorded since `query.since`, grouped `query.by`. The
 * raw audit log answers for the time it still covers (exact percentiles); before its oldest
 * minute, the per-minute and per-day rollups do, so a busy gateway's stats over a week are
 * complete although its raw log holds seconds. Rollups count whole minutes: a `since` inside a
 * minute starts at the next one.
 */
export async function statsView(
  store: Store,
  query: StatsQuery,
  now: number = Date.now(),
): Promise<StatsView> {
  const entries = await store.listAudit({ since: query.since });
  const oldest = entries.reduce((low, entry) => Math.min(low, entry.at), Number.POSITIVE_INFINITY);
  // The raw log may have lost part of the minute of its oldest entry: that minute and every
  // earlier one come from the rollups, later ones from the raw log.
  const cutoff = Number.isFinite(oldest)
    ? Math.floor(oldest / MINUTE_MS) * MINUTE_MS + MINUTE_MS
    : Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  // Nothing older than the day buckets' keep exists: the walk starts there at the earliest.
  const start = Math.ceil(Math.max(query.since, now - DAY_KEEP_MS) / MINUTE_MS) * MINUTE_MS;
  const keys = bucketKeys(start, cutoff);
  const rollups = keys.length ? await store.getMany<Rollup>(keys) : new Map<string, Rollup>();
  const base: View = {
    since: new Date(query.since).toISOString(),
    by: query.by,
    rows: [],
  };
  if (rawIsWhole(rollups, entries, start, cutoff))
    return { ...base, rows: summarize(entries, query.by), source: "raw" };
  const sums = new Map<string, RollupSums>();
  for (const rollup of rollups.values()) {
    for (const [key, group] of Object.entries(rollup.groups[query.by] ?? {})) {
      const into = sums.get(key);
      if (into) addSums(into, group);
      else sums.set(key, structuredClone(group));
    }
  }
  for (const entry of entries) {
    if (!entry.call || entry.at < cutoff) continue;
    const key = groupKey(entry.call, query.by);
    let into = sums.get(key);
    if (!into) {
      into = emptySums();
      sums.set(key, into);
    }
    addCall(into, entry.call);
  }
  const rows = [...sums].map(([key, group]) => rowOf(key, group));
  return { ...base, rows: rows.sort(byCalls), source: "rollups" };
}

type View = StatsView;

/**
 * Whether the raw log still holds every call the rollups counted before `cutoff` (nothing was
 * pruned in the range): then the raw log answers alone, with exact percentiles.
 */
function rawIsWhole(
  rollups: ReadonlyMap<string, Rollup>,
  entries: readonly AuditEntry[],
  start: number,
  cutoff: number,
): boolean {
  let counted = 0;
  for (const rollup of rollups.values()) {
    // Every call is in every grouping once: one grouping's groups add up to all of them.
    for (const sums of Object.values(rollup.groups.provider ?? {}))
      counted += sums.calls + sums.qa.pass + sums.qa.add_tasks + sums.qa.block;
  }
  let raw = 0;
  for (const entry of entries) if (entry.call && entry.at >= start && entry.at < cutoff) raw += 1;
  return raw >= counted;
}

/** Day buckets for whole days inside [start, end), minute buckets for the rest. */
function bucketKeys(start: number, end: number): string[] {
  const keys: string[] = [];
  let at = start;
  while (at < end) {
    if (at % DAY_MS === 0 && at + DAY_MS <= end) {
      keys.push(dayKey(at));
      at += DAY_MS;
    } else {
      keys.push(minuteKey(at));
      at += MINUTE_MS;
    }
  }
  return keys;
}

function byCalls(a: StatsRow, b: StatsRow): number {
  return b.calls - a.calls || a.key.localeCompare(b.key);
}

/** Groups call records; QA verdict records count toward the QA model's row. */
export function summarize(entries: readonly AuditEntry[], by: StatsGrouping): StatsRow[] {
  const groups = new Map<string, { row: StatsRow; latencies: number[]; ttfts: number[] }>();
  for (const entry of entries) {
    const call = entry.call;
    if (!call) continue;
    const key = groupKey(call, by);
    let group = groups.get(key);
    if (!group) {
      group = { row: emptyRow(key), latencies: [], ttfts: [] };
      groups.set(key, group);
    }
    if (!countCall(group.row, call)) continue;
    group.latencies.push(call.latency_ms);
    if (call.ttft_ms !== undefined) group.ttfts.push(call.ttft_ms);
  }
  return [...groups.values()]
    .map(({ row, latencies, ttfts }) => ({
      ...row,
      p50_latency_ms: median(latencies),
      p50_ttft_ms: median(ttfts),
    }))
    .sort(byCalls);
}

function emptyRow(key: string): StatsRow {
  return {
    key,
    calls: 0,
    errors: 0,
    cancelled: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    tool_calls: 0,
    cost_usd: 0,
    unpriced_calls: 0,
    p50_latency_ms: null,
    p50_ttft_ms: null,
    qa: { pass: 0, add_tasks: 0, block: 0 },
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}
