import { STATS_GROUPINGS, UsageError, type StatsGrouping, type StatsView } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { connectClient } from "../composition/connect.js";
import type { GlobalOptions } from "../context.js";
import { table } from "../terminal.js";

/**
 * `hedge stats`: every recorded model call, grouped, with tokens, cost, latency and QA verdicts,
 * from this machine's state or the gateway `--gateway` names.
 */
export async function runStats(
  globals: GlobalOptions,
  options: { since: string; by: string; json: boolean; gateway?: string },
): Promise<void> {
  if (!STATS_GROUPINGS.includes(options.by as StatsGrouping)) {
    throw new UsageError(`--by expects one of ${STATS_GROUPINGS.join(", ")}, got "${options.by}"`);
  }
  const since = parseSince(options.since, Date.now());
  const { home, loaded } = commandContext(globals);
  const { client } = await connectClient(loaded.config, home, options.gateway);
  let view: StatsView;
  try {
    view = await client.stats({ since, by: options.by as StatsGrouping });
  } finally {
    await client.close();
  }
  process.stdout.write(options.json ? `${JSON.stringify(view, null, 2)}\n` : formatStats(view));
}

function formatStats(view: StatsView): string {
  const { rows } = view;
  if (rows.length === 0) return `no model calls recorded since ${view.since}\n`;
  const lines = table(
    [
      view.by,
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
  return `${lines.join("\n")}\n`;
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
