import type { z } from "zod";
import type { tokenBudgetSchema } from "./config-schema.js";

/** `mcp.eager_token_budget` in tokens: a count, or a percentage of the context window. */
export function resolveBudget(
  budget: z.infer<typeof tokenBudgetSchema>,
  contextWindow: number,
): number {
  if (typeof budget === "number") return budget;
  return Math.floor((Number.parseFloat(budget) / 100) * contextWindow);
}

/** Whether a request carries every MCP schema (eager) or names plus `tool_search` (deferred). */
export interface LazyPlan {
  mode: "eager" | "deferred";
  /** Tokens of every allowed MCP tool's definition. */
  eagerTokens: number;
  budget: number;
}

/** Eager while all MCP definitions fit the budget; built-in tools are always eager. */
export function planTools(toolCosts: readonly number[], budget: number): LazyPlan {
  const eagerTokens = toolCosts.reduce((sum, cost) => sum + cost, 0);
  return { mode: eagerTokens <= budget ? "eager" : "deferred", eagerTokens, budget };
}
