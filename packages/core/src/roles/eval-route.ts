import { z } from "zod";

/**
 * `[routing]` keys for routing on eval results (the rest of `[routing]` is the gateway's):
 * `evals = "off" | "latest" | "<run id>"`, the pass rate whose Wilson lower bound a model must
 * reach, the metric, and the least n that counts.
 */
export const evalRoutingConfigShape = {
  evals: z.string().min(1).default("off"),
  eval_target: z.number().min(0).max(1).default(0.8),
  eval_metric: z.enum(["pass_1", "pass_2"]).default("pass_1"),
  eval_min_n: z.number().int().min(1).default(10),
};

/** One (tag, model, tool set) row of an eval run: its rate and Wilson 95% interval, its cost. */
export interface EvalRoutingRow {
  tag: string;
  model: string;
  toolset: string;
  n: number;
  passes: number;
  low: number;
  high: number;
  /** Mean $ per task; null when unknown. */
  costPerTaskUsd: number | null;
}

/** The numbers of one complete, non-scripted eval run, as routing reads them. */
export interface EvalRoutingTable {
  runId: string;
  date: string;
  taskSetHash: string;
  metric: "pass_1" | "pass_2";
  rows: EvalRoutingRow[];
}

/** What a thread routes on: the table (or why there is none) and the bar a model must clear. */
export interface EvalRouting {
  table: EvalRoutingTable | undefined;
  /** Why there is no table ("no complete eval run"), said in the decision. */
  unavailable?: string;
  target: number;
  minN: number;
}

/** A model the eval link picked, or why it picked none. */
export type EvalChoice =
  { model: string; toolset: string; reason: string } | { model: undefined; reason: string };

const LANGUAGES: [RegExp, string][] = [
  [/\.py\b/, "python"],
  [/\.(?:ts|tsx|mts|cts)\b/, "ts"],
  [/\.(?:sh|bash)\b/, "shell"],
];
const KINDS: [RegExp, string][] = [
  [/\b(fix\w*|bug\w*|failing|broken|crash\w*|regression)\b/i, "bugfix"],
  [/\b(rename\w*|extract\w*|move|moving|refactor\w*|reorgani[sz]e\w*)\b/i, "refactor"],
  [/\b(add|adding|implement\w*|support|new feature)\b/i, "feature"],
];
const FILE = /[\w./-]+\.(?:py|ts|tsx|mts|cts|sh|bash|js|json|toml|md)\b/g;

/**
 * The task tags a prompt names: its kind from the verbs (fix → bugfix, add/implement → feature,
 * rename/extract/move → refactor; the first that matches), its language(s) from the files it
 * names, and multi-file when it names several files.
 */
export function classifyPrompt(prompt: string): string[] {
  const tags: string[] = [];
  const kind = KINDS.find(([pattern]) => pattern.test(prompt));
  if (kind) tags.push(kind[1]);
  for (const [pattern, language] of LANGUAGES) if (pattern.test(prompt)) tags.push(language);
  if (new Set(prompt.match(FILE) ?? []).size >= 2) tags.push("multi-file");
  return tags;
}

/**
 * The eval link of the role chain: the cheapest model (then tool set) whose Wilson lower bound
 * meets the target on every tag of the prompt, with n ≥ minN. Candidates come cheapest first,
 * for the caller to drop those the policy refuses. No table, no tag or no qualifying model: no
 * choice, and the reason says why.
 */
export function chooseByEvals(
  prompt: string,
  routing: EvalRouting,
  /** Models with no allowed route (policy, no usable profile): skipped, and said so. */
  refused: ReadonlyMap<string, string> = new Map(),
): EvalChoice {
  const table = routing.table;
  if (!table)
    return {
      model: undefined,
      reason: `evals: ${routing.unavailable ?? "no complete eval run"}; routing unchanged`,
    };
  const tags = classifyPrompt(prompt);
  if (tags.length === 0)
    return {
      model: undefined,
      reason: "evals: the prompt names no task tag (kind or language); routing unchanged",
    };
  const head = `evals ${table.runId} (${table.date}, tasks ${table.taskSetHash.slice(0, 4)}…): ${tags.join("+")}`;
  const metric = table.metric === "pass_1" ? "pass@1" : "pass after feedback";
  type Arm = {
    model: string;
    toolset: string;
    weakest: EvalRoutingRow;
    cost: number;
    qualifies: boolean;
  };
  const arms: Arm[] = [];
  const keys = new Set(table.rows.map((row) => `${row.model}\0${row.toolset}`));
  for (const key of keys) {
    const [model = "", toolset = ""] = key.split("\0");
    const rows = tags.map((tag) =>
      table.rows.find((row) => row.model === model && row.toolset === toolset && row.tag === tag),
    );
    if (rows.some((row) => row === undefined)) continue;
    const present = rows as EvalRoutingRow[];
    const weakest = present.reduce((low, row) => (row.low < low.low ? row : low));
    const qualifies = present.every((row) => row.n >= routing.minN && row.low >= routing.target);
    const cost = Math.max(...present.map((row) => row.costPerTaskUsd ?? Number.POSITIVE_INFINITY));
    arms.push({ model, toolset, weakest, cost, qualifies });
  }
  const describe = (arm: Arm): string =>
    `${arm.model} ${arm.weakest.passes}/${arm.weakest.n} [${arm.weakest.low.toFixed(2)}, ${arm.weakest.high.toFixed(2)}]`;
  const qualifying = arms
    .filter((arm) => arm.qualifies && !refused.has(arm.model))
    .sort((a, b) => a.cost - b.cost || b.weakest.low - a.weakest.low);
  const below = arms.filter((arm) => !arm.qualifies).map(describe);
  for (const [model, why] of refused) below.push(`${model} not allowed: ${why}`);
  const best = qualifying[0];
  if (!best) {
    const seen = below.length ? ` (${below.join("; ")})` : " (no model has rows for these tags)";
    return {
      model: undefined,
      reason: `${head}: no model reaches ${metric} ≥ ${routing.target.toFixed(2)} with n ≥ ${routing.minN}${seen}; routing unchanged`,
    };
  }
  const cost = Number.isFinite(best.cost) ? `$${best.cost.toFixed(4)}/task` : "cost unknown";
  const others = below.length ? `; ${below.join("; ")} below` : "";
  return {
    model: best.model,
    toolset: best.toolset,
    reason: `${head} → ${best.model}, ${metric} ${best.weakest.passes}/${best.weakest.n} [${best.weakest.low.toFixed(2)}, ${best.weakest.high.toFixed(2)}] ≥ ${routing.target.toFixed(2)}, ${cost} (cheapest qualifying${others})`,
  };
}
