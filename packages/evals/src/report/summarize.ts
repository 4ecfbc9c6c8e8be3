import type { FinishedRecord } from "../run/attempt-record.js";
import type { RunManifest } from "../run/run-manifest.js";
import { passAtK } from "../stats/pass-at-k.js";
import { wilson, type Rate } from "../stats/wilson.js";

/** One arm's numbers: a model (with its other roles) and a tool set. */
export interface ArmReport {
  /** `model · toolset`. */
  label: string;
  model: string;
  toolset: string;
  n: number;
  planned: number;
  pass_1: Rate;
  pass_2: Rate;
  /** Per task tag. */
  tags: Record<string, { pass_1: Rate; pass_2: Rate }>;
  /** Mean $ per attempt; null when some attempt had unpriced calls. */
  cost_per_task_usd: number | null;
  /** Total $ / tasks solved after feedback; null for "∞" (none solved) or unknown cost. */
  cost_per_solved_usd: number | null;
  total_cost_usd: number | null;
  tokens: { input: number; cached_input: number; output: number };
  tokens_per_solved: number | null;
  tool_calls_per_solved: number | null;
  malformed_edit_rate: Rate;
  test_timeouts: number;
  errors: number;
  wall_s_per_task: number;
  /** Upstream model ids the routes served. */
  model_versions: string[];
  /** Unbiased pass@k (k < attempts), when tasks were sampled more than once. */
  pass_at_k: Record<string, number>;
}

/** `report.json`: everything `report.md` and the plot show. */
export interface RunReport {
  v: 1;
  run: string;
  date: string;
  scripted: boolean;
  title: string;
  task_set_hash: string;
  hedge_commit: string | null;
  dirty: boolean;
  planned: number;
  finished: number;
  complete: boolean;
  stopped_by_budget: string | null;
  arms: ArmReport[];
}

export const SCRIPTED_TITLE =
  "harness test (scripted provider): these rates measure hedge, not a model";

/** Builds a run's report from its finished attempts (each attempt id counted once). */
export function summarize(input: {
  manifest: RunManifest;
  records: readonly FinishedRecord[];
  planned: number;
  stoppedByBudget?: { spentUsd: number; budgetUsd: number } | undefined;
}): RunReport {
  const { manifest, records } = input;
  const perArm = manifest.arms.length * manifest.toolsets.length;
  const arms: ArmReport[] = [];
  for (const roles of manifest.arms)
    for (const toolset of manifest.toolsets) {
      const mine = records.filter(
        (record) => record.roles.executor === roles.executor && record.toolset === toolset,
      );
      arms.push(
        summarizeArm(
          roles.executor,
          toolset,
          mine,
          Math.round(input.planned / perArm),
          manifest.attempts,
        ),
      );
    }
  const stopped = input.stoppedByBudget
    ? `stopped by budget after ${records.length} of ${input.planned} attempts ($${input.stoppedByBudget.spentUsd.toFixed(4)} spent of $${input.stoppedByBudget.budgetUsd})`
    : null;
  return {
    v: 1,
    run: manifest.run,
    date: manifest.created.slice(0, 10),
    scripted: manifest.scripted,
    title: manifest.scripted ? SCRIPTED_TITLE : `eval run ${manifest.run}`,
    task_set_hash: manifest.task_set_hash,
    hedge_commit: manifest.hedge_commit,
    dirty: manifest.dirty,
    planned: input.planned,
    finished: records.length,
    complete: records.length >= input.planned,
    stopped_by_budget: stopped,
    arms,
  };
}

function summarizeArm(
  model: string,
  toolset: string,
  records: readonly FinishedRecord[],
  planned: number,
  samples: number,
): ArmReport {
  const n = records.length;
  const solved = records.filter((record) => record.passed_2);
  const count = (predicate: (record: FinishedRecord) => boolean): number =>
    records.filter(predicate).length;
  const tags: ArmReport["tags"] = {};
  for (const tag of new Set(records.flatMap((record) => record.tags)).values()) {
    const tagged = records.filter((record) => record.tags.includes(tag));
    tags[tag] = {
      pass_1: wilson(tagged.filter((record) => record.passed_1).length, tagged.length),
      pass_2: wilson(tagged.filter((record) => record.passed_2).length, tagged.length),
    };
  }
  const costs = records.map((record) => record.cost_usd);
  const total = costs.includes(null)
    ? null
    : costs.reduce<number>((sum, cost) => sum + (cost ?? 0), 0);
  const tokens = { input: 0, cached_input: 0, output: 0 };
  for (const record of records) {
    tokens.input += record.tokens.input;
    tokens.cached_input += record.tokens.cached_input;
    tokens.output += record.tokens.output;
  }
  const perSolved = (value: number): number | null =>
    solved.length === 0 ? null : value / solved.length;
  const toolCalls = records.reduce((sum, record) => sum + record.tool_calls, 0);
  return {
    label: `${model} · ${toolset}`,
    model,
    toolset,
    n,
    planned,
    pass_1: wilson(
      count((record) => record.passed_1),
      n,
    ),
    pass_2: wilson(solved.length, n),
    tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))),
    cost_per_task_usd: total === null || n === 0 ? null : total / n,
    cost_per_solved_usd: total === null ? null : perSolved(total),
    total_cost_usd: total,
    tokens,
    tokens_per_solved: perSolved(tokens.input + tokens.output),
    tool_calls_per_solved: perSolved(toolCalls),
    malformed_edit_rate: wilson(
      count((record) => record.malformed_edits > 0),
      n,
    ),
    test_timeouts: records.reduce((sum, record) => sum + record.test_timeouts, 0),
    errors: count((record) => record.error !== null),
    wall_s_per_task:
      n === 0 ? 0 : records.reduce((sum, record) => sum + record.wall_ms, 0) / n / 1000,
    model_versions: [
      ...new Set(records.flatMap((record) => record.routes.map((route) => route.upstream_model))),
    ].sort(),
    pass_at_k: passAtKs(records, samples),
  };
}

function passAtKs(records: readonly FinishedRecord[], samples: number): Record<string, number> {
  if (samples < 2) return {};
  const byTask = new Map<string, boolean[]>();
  for (const record of records)
    byTask.set(record.task, [...(byTask.get(record.task) ?? []), record.passed_1]);
  const result: Record<string, number> = {};
  for (let k = 1; k < samples; k += 1) {
    const values = [...byTask.values()].filter((outcomes) => outcomes.length > k);
    if (values.length === 0) continue;
    const mean =
      values.reduce(
        (sum, outcomes) => sum + passAtK(outcomes.length, outcomes.filter(Boolean).length, k),
        0,
      ) / values.length;
    result[`pass@${k}`] = mean;
  }
  return result;
}
