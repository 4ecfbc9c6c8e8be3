import { UsageError } from "@hedge/model-spec";
import type { AuditEntry } from "@hedge/gateway";
import { commandContext, withStore } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { table } from "../terminal.js";

const GROUPINGS = ["role", "model", "profile", "provider"] as const;
type Grouping = (typeof GROUPINGS)[number];

export interface StatsRow {
  key: string;
  calls: number;
  errors: number;
  /** Calls the caller cancelled or hung up on (499 client_closed): not the provider's errors. */
  cancelled: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  tool_calls: number;
  cost_usd: number;
  /** Calls without a price in the table (their cost is not in `cost_usd`). */
  unpriced_calls: number;
  p50_latency_ms: number | null;
  p50_ttft_ms: number | null;
  qa: { pass: number; add_tasks: number; block: number };
}

/** `hedge stats`: every recorded model call, grouped, with tokens, cost, latency and QA verdicts. */
export async function runStats(
  globals: GlobalOptions,
  options: { since: string; by: string; json: boolean },
): Promise<void> {
  if (!GROUPINGS.includes(options.by as Grouping)) {
    throw new UsageError(`--by expects one of ${GROUPINGS.join(", ")}, got "${options.by}"`);
  }
  const since = parseSince(options.since, Date.now());
  const entries = await withStore(commandContext(globals), (store) => store.listAudit({ since }));
  const rows = summarize(entries, options.by as Grouping);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ since: new Date(since).toISOString(), by: options.by, rows }, null, 2)}\n`,
    );
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(`no model calls recorded since ${new Date(since).toISOString()}\n`);
    return;
  }
  const lines = table(
    [
      options.by,
      "calls",
      "errors",
      "cancelled",
      "input",
      "cached",
      "output",
      "tools",
      "cost $",
      "p50 ms",
      "p50 ttft",
      "qa pass/add/block",
    ],
    rows.map((row) => [
      row.key,
      String(row.calls),
      String(row.errors),
      String(row.cancelled),
      String(row.input_tokens),
      String(row.cached_input_tokens),
      String(row.output_tokens),
      String(row.tool_calls),
      `${row.cost_usd.toFixed(4)}${row.unpriced_calls ? "*" : ""}`,
      row.p50_latency_ms === null ? "-" : String(row.p50_latency_ms),
      row.p50_ttft_ms === null ? "-" : String(row.p50_ttft_ms),
      row.qa.pass + row.qa.add_tasks + row.qa.block
        ? `${row.qa.pass}/${row.qa.add_tasks}/${row.qa.block}`
        : "-",
    ]),
  );
  if (rows.some((row) => row.unpriced_calls))
    lines.push("* some calls have no price in the table (set [providers.X.prices])");
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Groups call records; QA verdict records count toward the QA model's row. */
export function summarize(entries: readonly AuditEntry[], by: Grouping): StatsRow[] {
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
      group = {
        row: {
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
        },
        latencies: [],
        ttfts: [],
      };
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

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

/** `7d`, `24h`, `30m`, `90s`, or an ISO date. */
export function parseSince(text: string, now: number): number {
  const relative = /^(\d+)([smhdw])$/.exec(text.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
      relative[2] as "s" | "m" | "h" | "d" | "w"
    ];
    return now - Number(relative[1]) * unit;
  }
  const absolute = Date.parse(text);
  if (Number.isNaN(absolute)) {
    throw new UsageError(`--since expects a duration like 7d, 24h, 30m or a date, got "${text}"`);
  }
  return absolute;
}
