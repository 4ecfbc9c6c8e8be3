import { readdirSync } from "node:fs";
import {
  compareRuns,
  formatRate,
  formatUsd,
  runsRoot,
  renderMarkdown,
  plotSvg,
  runPaths,
  writeAtomic,
} from "@hedge/evals";
import { UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { table } from "../terminal.js";
import { loadRun, renderPng, writeReportFiles } from "./eval-files.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** `hedge eval report RUN`: the run's tables (report.md) and plot, rebuilt from its attempts. */
export async function runEvalReport(
  globals: GlobalOptions,
  runId: string,
  options: { json: boolean },
): Promise<void> {
  const { home } = commandContext(globals);
  const { report } = loadRun(home, runId);
  for (const notice of await writeReportFiles(home, report)) process.stderr.write(`${notice}\n`);
  process.stdout.write(
    options.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report),
  );
  process.stderr.write(`plot: ${runPaths(home, runId).plotSvg}\n`);
}

/**
 * `hedge eval compare A B`: the two runs side by side with the paired exact McNemar test, or a
 * refusal naming why they cannot be compared.
 */
export async function runEvalCompare(
  globals: GlobalOptions,
  runA: string,
  runB: string,
  options: { json: boolean; out?: string },
): Promise<void> {
  const { home } = commandContext(globals);
  const a = loadRun(home, runA);
  const b = loadRun(home, runB);
  const comparison = compareRuns(a, b);
  const svg = plotSvg([a.report, b.report]);
  const out = options.out ?? join(runPaths(home, runB).dir, `compare-${runA}.svg`);
  writeAtomic(out, svg);
  const png = await renderPng(svg);
  if (png) writeFileSync(out.replace(/\.svg$/, ".png"), png);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...comparison, plot: out }, null, 2)}\n`);
    return;
  }
  const rows = [a.report, b.report].flatMap((report) =>
    report.arms.map((arm) => [
      report.run,
      arm.label,
      String(arm.n),
      formatRate(arm.pass_1),
      formatRate(arm.pass_2),
      formatUsd(arm.cost_per_solved_usd, arm.pass_2.x === 0),
      arm.tool_calls_per_solved === null ? "∞" : arm.tool_calls_per_solved.toFixed(1),
    ]),
  );
  const lines = [
    ...table(
      ["run", "arm", "n", "pass@1", "after feedback", "$/solved", "tool calls/solved"],
      rows,
    ),
    "",
    `${comparison.onlyA} only A solved, ${comparison.onlyB} only B solved, exact McNemar p = ${comparison.p.toPrecision(3)} at n = ${comparison.n}`,
    comparison.deltaCostPerSolvedUsd === null
      ? "Δ $/solved: unknown"
      : `Δ $/solved (B − A): ${comparison.deltaCostPerSolvedUsd >= 0 ? "+" : "−"}$${Math.abs(comparison.deltaCostPerSolvedUsd).toFixed(4)}`,
    `plot: ${out}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** `hedge eval list`: the runs in $HEDGE_HOME, newest first. */
export function runEvalList(globals: GlobalOptions, options: { json: boolean }): void {
  const { home } = commandContext(globals);
  let ids: string[] = [];
  try {
    ids = readdirSync(runsRoot(home))
      .filter((name) => name.startsWith("ev_"))
      .sort()
      .reverse();
  } catch {
    ids = [];
  }
  const runs = ids.flatMap((id) => {
    try {
      return [loadRun(home, id).report];
    } catch (error) {
      if (error instanceof UsageError) return [];
      throw error;
    }
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        runs.map(({ arms, ...rest }) => ({ ...rest, arms: arms.map((arm) => arm.label) })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  if (runs.length === 0) {
    process.stdout.write(
      "no eval runs yet; start one with: hedge eval run --model PROVIDER/MODEL\n",
    );
    return;
  }
  const rows = runs.map((run) => [
    run.run,
    run.date,
    `${run.finished}/${run.planned}`,
    run.scripted ? "scripted" : "",
    run.arms.map((arm) => `${arm.label} ${formatRate(arm.pass_1)}`).join("; "),
  ]);
  process.stdout.write(`${table(["run", "date", "attempts", "", "pass@1"], rows).join("\n")}\n`);
}
