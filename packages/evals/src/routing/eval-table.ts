import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { EvalRouting, EvalRoutingTable } from "@hedge/core";
import type { RunReport } from "../report/summarize.js";
import { runPaths, runsRoot } from "../run/run-manifest.js";

/** `[routing]` keys the eval link reads. */
export interface EvalRoutingConfig {
  evals: string;
  eval_target: number;
  eval_metric: "pass_1" | "pass_2";
  eval_min_n: number;
}

/**
 * The eval routing a thread gets from `[routing]`: undefined when `evals = "off"`; else the
 * table of the named run, or of the newest complete run that is not a harness test ("latest").
 * Scripted runs never route: their rates measure hedge, not a model.
 */
export function loadEvalRouting(home: string, config: EvalRoutingConfig): EvalRouting | undefined {
  if (config.evals === "off") return undefined;
  const base = { target: config.eval_target, minN: config.eval_min_n };
  const found = config.evals === "latest" ? latestReport(home) : namedReport(home, config.evals);
  if ("unavailable" in found) return { ...base, table: undefined, unavailable: found.unavailable };
  return { ...base, table: toTable(found.report, config.eval_metric) };
}

/** A report's per-tag rows, for the chosen metric. */
export function toTable(report: RunReport, metric: "pass_1" | "pass_2"): EvalRoutingTable {
  const rows = report.arms.flatMap((arm) =>
    Object.entries(arm.tags).flatMap(([tag, rates]) => {
      const rate = rates[metric];
      if (rate.low === null || rate.high === null) return [];
      return [
        {
          tag,
          model: arm.model,
          toolset: arm.toolset,
          n: rate.n,
          passes: rate.x,
          low: rate.low,
          high: rate.high,
          costPerTaskUsd: arm.cost_per_task_usd,
        },
      ];
    }),
  );
  return { runId: report.run, date: report.date, taskSetHash: report.task_set_hash, metric, rows };
}

function readReport(home: string, runId: string): RunReport | undefined {
  const path = runPaths(home, runId).reportJson;
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as RunReport;
  } catch {
    return undefined;
  }
}

function namedReport(home: string, runId: string): { report: RunReport } | { unavailable: string } {
  let report: RunReport | undefined;
  try {
    report = readReport(home, runId);
  } catch {
    report = undefined;
  }
  if (!report) return { unavailable: `run ${runId} has no report` };
  if (report.scripted)
    return { unavailable: `run ${runId} is a harness test (scripted), not a model's numbers` };
  if (!report.complete)
    return { unavailable: `run ${runId} is incomplete (${report.finished} of ${report.planned})` };
  return { report };
}

function latestReport(home: string): { report: RunReport } | { unavailable: string } {
  const root = runsRoot(home);
  const ids = existsSync(root) ? readdirSync(root).filter((name) => name.startsWith("ev_")) : [];
  const reports = ids
    .map((id) => readReport(home, id))
    .filter(
      (report): report is RunReport => report !== undefined && !report.scripted && report.complete,
    )
    .sort((a, b) => b.date.localeCompare(a.date) || b.run.localeCompare(a.run));
  const newest = reports[0];
  return newest ? { report: newest } : { unavailable: "no complete eval run" };
}
