import type { StatsGrouping, StatsQuery, StatsRow, StatsView } from "@hedge/model-spec";
import type { AuditEntry, Store } from "../store/store.js";

/** `hedge stats --json`: every model call recorded since `query.since`, grouped `query.by`. */
export async function statsView(store: Store, query: StatsQuery): Promise<StatsView> {
  const entries = await store.listAudit({ since: query.since });
  return {
    since: new Date(query.since).toISOString(),
    by: query.by,
    rows: summarize(entries, query.by),
  };
}

/** Groups call records; QA verdict records count toward the QA model's row. */
export function summarize(entries: readonly AuditEntry[], by: StatsGrouping): StatsRow[] {
  const groups = new Map<string, { row: StatsRow; latencies: number[]; ttfts: number[] }>();
  for (const entry of entries) {
    const call = entry.call;
    if (!call) continue;
    const key =
      by === "role"
        ? (call.role ?? "-")
        : by === "model"
          ? call.model
          : by === "profile"
            ? (call.profile ?? "-")
            : (call.provider ?? "-");
    let group = groups.get(key);
    if (!group) {
      group = { row: emptyRow(key), latencies: [], ttfts: [] };
      groups.set(key, group);
    }
    const { row } = group;
    if (call.qa_verdict) {
      if (
        call.qa_verdict === "pass" ||
        call.qa_verdict === "add_tasks" ||
        call.qa_verdict === "block"
      )
        row.qa[call.qa_verdict] += 1;
      continue;
    }
    row.calls += 1;
    if (call.outcome === "client_closed") row.cancelled += 1;
    else if (call.outcome !== "ok") row.errors += 1;
    row.input_tokens += call.input_tokens;
    row.cached_input_tokens += call.cached_input_tokens;
    row.output_tokens += call.output_tokens;
    row.tool_calls += call.tool_calls;
    if (call.cost_usd === undefined) row.unpriced_calls += 1;
    else row.cost_usd += call.cost_usd;
    group.latencies.push(call.latency_ms);
    if (call.ttft_ms !== undefined) group.ttfts.push(call.ttft_ms);
  }
  return [...groups.values()]
    .map(({ row, latencies, ttfts }) => ({
      ...row,
      p50_latency_ms: median(latencies),
      p50_ttft_ms: median(ttfts),
    }))
    .sort((a, b) => b.calls - a.calls || a.key.localeCompare(b.key));
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
