import { formatRate, type Rate } from "../stats/wilson.js";
import type { RunReport } from "./summarize.js";

/** `$0.0123`, `∞` for nothing solved, `n/a` for unknown cost. */
export function formatUsd(value: number | null, infinite = false): string {
  if (value === null) return infinite ? "∞" : "n/a";
  return `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}`;
}

/** `report.md`: one table per run, one row per arm, then the per-tag rates. */
export function renderMarkdown(report: RunReport): string {
  const lines = [
    `# ${report.title}`,
    "",
    `run ${report.run} · ${report.date} · hedge ${report.hedge_commit ?? "unknown"}${report.dirty ? "-dirty" : ""} · tasks ${report.task_set_hash.slice(0, 12)} · ${report.finished}/${report.planned} attempts${report.complete ? "" : " (incomplete)"}`,
    "",
  ];
  if (report.stopped_by_budget) lines.push(`**${report.stopped_by_budget}**`, "");
  lines.push(
    "| arm | n | pass@1 | pass after feedback | $/task | $/solved | tool calls/solved | tokens/solved | malformed edits | test timeouts | s/task | model versions |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  );
  for (const arm of report.arms) {
    const solvedNone = arm.pass_2.x === 0;
    lines.push(
      `| ${arm.label} | ${arm.n}/${arm.planned} | ${formatRate(arm.pass_1)} | ${formatRate(arm.pass_2)} | ${formatUsd(arm.cost_per_task_usd)} | ${solvedNone ? "∞" : formatUsd(arm.cost_per_solved_usd)} | ${fixed(arm.tool_calls_per_solved)} | ${fixed(arm.tokens_per_solved, 0)} | ${formatRate(arm.malformed_edit_rate)} | ${arm.test_timeouts} | ${arm.wall_s_per_task.toFixed(1)} | ${arm.model_versions.join(", ") || "-"} |`,
    );
  }
  lines.push("", "Rates are `x/n = p [low, high]` with a Wilson 95% interval.", "");
  for (const arm of report.arms) {
    const passAtK = Object.entries(arm.pass_at_k);
    if (passAtK.length > 0)
      lines.push(
        `${arm.label}: ${passAtK.map(([k, value]) => `${k} ${value.toFixed(3)}`).join(", ")}`,
        "",
      );
    lines.push(
      `## ${arm.label} by tag`,
      "",
      "| tag | pass@1 | pass after feedback |",
      "|---|---|---|",
    );
    for (const [tag, rates] of Object.entries(arm.tags))
      lines.push(`| ${tag} | ${formatRate(rates.pass_1)} | ${formatRate(rates.pass_2)} |`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

function fixed(value: number | null, digits = 1): string {
  return value === null ? "∞" : value.toFixed(digits);
}

export type { Rate };
