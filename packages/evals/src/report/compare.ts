import { UsageError } from "@hedge/model-spec";
import type { FinishedRecord } from "../run/attempt-record.js";
import { mcnemarExact } from "../stats/mcnemar.js";
import type { RunReport } from "./summarize.js";

/** Two runs over the same tasks, compared pair by pair. */
export interface Comparison {
  a: RunReport;
  b: RunReport;
  /** Tasks (and samples) only A solved, only B solved. */
  onlyA: number;
  onlyB: number;
  n: number;
  p: number;
  /** B's $ per solved task minus A's; null when either is unknown. */
  deltaCostPerSolvedUsd: number | null;
}

/**
 * Compares two runs with the exact McNemar test on paired outcomes (pass after feedback), or
 * refuses, with the reason: different task sets, an incomplete run, or too few differences to
 * tell the runs apart (p ≥ 0.05).
 */
export function compareRuns(
  a: { report: RunReport; records: readonly FinishedRecord[] },
  b: { report: RunReport; records: readonly FinishedRecord[] },
  metric: "passed_1" | "passed_2" = "passed_2",
): Comparison {
  if (a.report.task_set_hash !== b.report.task_set_hash) {
    throw new UsageError(
      `runs used different task sets (${a.report.task_set_hash.slice(0, 8)}… vs ${b.report.task_set_hash.slice(0, 8)}…)`,
      { hint: "rerun one with the other's --tasks" },
    );
  }
  for (const run of [a.report, b.report])
    if (run.arms.length !== 1)
      throw new UsageError(
        `run ${run.run} has ${run.arms.length} arms; compare pairs one arm with one`,
        {
          hint:
            "its own report already compares its arms side by side: hedge eval report " + run.run,
        },
      );
  for (const run of [a.report, b.report])
    if (!run.complete)
      throw new UsageError(
        `run ${run.run} is incomplete (${run.finished} of ${run.planned} attempts)`,
        {
          hint: `finish it with: hedge eval run --resume ${run.run}`,
        },
      );
  const key = (record: FinishedRecord): string => `${record.task}#${record.sample}`;
  const outcomes = new Map(b.records.map((record) => [key(record), record[metric]]));
  let onlyA = 0;
  let onlyB = 0;
  let n = 0;
  for (const record of a.records) {
    const other = outcomes.get(key(record));
    if (other === undefined) continue;
    n += 1;
    if (record[metric] && !other) onlyA += 1;
    if (!record[metric] && other) onlyB += 1;
  }
  const p = mcnemarExact(onlyA, onlyB);
  if (p >= 0.05) {
    throw new UsageError(
      `can't tell these apart: ${onlyA} task${onlyA === 1 ? "" : "s"} only A solved, ${onlyB} only B, p = ${p.toFixed(2)} at n = ${n}`,
      { hint: "add --attempts or tasks" },
    );
  }
  const costA = a.report.arms[0]?.cost_per_solved_usd ?? null;
  const costB = b.report.arms[0]?.cost_per_solved_usd ?? null;
  return {
    a: a.report,
    b: b.report,
    onlyA,
    onlyB,
    n,
    p,
    deltaCostPerSolvedUsd: costA === null || costB === null ? null : costB - costA,
  };
}
