import type { TurnRule } from "../config-schema.js";

/** How a turn is run: the executor alone, or planned by the orchestrator first. */
export type TurnMode = "executor" | "orchestrated";

/** A routing decision with where it came from and why. */
export interface TurnDecision {
  mode: TurnMode;
  /** `evals`: the executor's model was chosen from an eval run (see `eval-route.ts`). */
  source: "override" | "config" | "evals" | "heuristic" | "default";
  reason: string;
}

export interface TurnRouteInput {
  prompt: string;
  /** `--orchestrate` / `--no-orchestrate`. */
  override?: TurnMode;
  rules: readonly TurnRule[];
}

/** One link of the chain: a decision, or null to let the next one decide. */
export type TurnStrategy = (input: TurnRouteInput) => TurnDecision | null;

const explicitOverride: TurnStrategy = (input) =>
  input.override
    ? {
        mode: input.override,
        source: "override",
        reason: `requested with --${input.override === "orchestrated" ? "" : "no-"}orchestrate`,
      }
    : null;

const configRules: TurnStrategy = (input) => {
  for (const [index, rule] of input.rules.entries()) {
    if (rule.match !== undefined && !new RegExp(rule.match, "i").test(input.prompt)) continue;
    if (rule.min_chars !== undefined && input.prompt.length < rule.min_chars) continue;
    const what = [
      rule.match ? `matches /${rule.match}/` : "",
      rule.min_chars ? `has ${input.prompt.length} >= ${rule.min_chars} characters` : "",
    ]
      .filter(Boolean)
      .join(" and ");
    return {
      mode: rule.mode,
      source: "config",
      reason: `roles.rules[${index}]: the prompt ${what || "matches"}`,
    };
  }
  return null;
};

/** Words that signal work across a larger surface: planning, debugging, redesign. */
const BROAD_WORK =
  /\b(refactor|redesign|architect\w*|migrat\w+|investigate|debug\w*|root cause|plan|across the (code ?base|repo\w*)|multiple files|end[- ]to[- ]end)\b/i;

const heuristic: TurnStrategy = (input) => {
  const prompt = input.prompt;
  if (prompt.length >= 1200) {
    return {
      mode: "orchestrated",
      source: "heuristic",
      reason: `a long prompt (${prompt.length} characters) usually needs a plan`,
    };
  }
  const broad = BROAD_WORK.exec(prompt);
  if (broad) {
    return {
      mode: "orchestrated",
      source: "heuristic",
      reason: `the prompt asks for broad work ("${broad[0]}")`,
    };
  }
  const steps = prompt.split("\n").filter((line) => /^\s*(\d+[.)]|[-*])\s+/.test(line)).length;
  if (steps >= 3)
    return { mode: "orchestrated", source: "heuristic", reason: `the prompt lists ${steps} steps` };
  return null;
};

const fallback: TurnStrategy = () => ({
  mode: "executor",
  source: "default",
  reason: "a focused task: the executor alone",
});

/** The chain, in order: explicit override, config rules, heuristic, default (always decides). */
export const TURN_STRATEGIES: readonly TurnStrategy[] = [
  explicitOverride,
  configRules,
  heuristic,
  fallback,
];

export function decideTurn(
  input: TurnRouteInput,
  strategies: readonly TurnStrategy[] = TURN_STRATEGIES,
): TurnDecision {
  for (const strategy of strategies) {
    const decision = strategy(input);
    if (decision) return decision;
  }
  return fallback(input) as TurnDecision;
}
