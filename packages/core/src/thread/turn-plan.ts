import type { ModelClient } from "@hedge/gateway-client";
import type { Roles } from "../roles/pipeline.js";
import type { Toolset } from "../tools/default-tools.js";
import { chooseByEvals, type EvalChoice, type EvalRouting } from "../roles/eval-route.js";
import { decideTurn, type TurnDecision } from "../roles/turn-router.js";
import { checkRoles, roleFailure } from "./route-check.js";
import type { ThreadSettings } from "./settings.js";

/** How a turn runs, decided before it starts. */
export interface TurnPlan {
  decision: TurnDecision;
  /** The roles this turn runs with (the executor's model may come from an eval run). */
  roles: Roles;
  /** The executor's tool set this turn (an eval run may pick it with the model). */
  toolset?: Toolset;
  /** Set when a guess asked for the orchestrator, which has no route: the notice to show. */
  skipped?: string;
  /** Why the eval link chose nothing (no run, no tag, no qualifying model), when it was on. */
  evalsNote?: string;
}

/**
 * Decides how the turn on `prompt` runs (override, config rules, heuristic, default) and checks,
 * through the ModelClient, that every role it uses has an allowed route. A heuristic's wish for
 * the orchestrator is dropped, with a notice, when it has no route; an explicit one fails.
 */
export async function planTurn(
  client: ModelClient,
  settings: Pick<ThreadSettings, "roles" | "rules" | "override" | "qa" | "waitForReset"> &
    Partial<Pick<ThreadSettings, "evalRouting">>,
  prompt: string,
): Promise<TurnPlan> {
  const { waitForReset } = settings;
  let roles = settings.roles;
  let decision = decideTurn({
    prompt,
    rules: settings.rules,
    ...(settings.override ? { override: settings.override } : {}),
  });
  let evalsNote: string | undefined;
  let toolset: Toolset | undefined;
  // Orchestration the heuristic guessed stays a guess when evals pick the executor's model.
  const guessedMode = decision.source === "heuristic";
  // The eval link: after an explicit override and config rules, before the heuristic's guess.
  if (settings.evalRouting && (decision.source === "heuristic" || decision.source === "default")) {
    const choice = await chooseAllowed(client, settings.evalRouting, prompt, waitForReset);
    if (choice.model) {
      roles = { ...roles, executor: { model: choice.model } };
      if (choice.toolset === "js" || choice.toolset === "default") toolset = choice.toolset;
      decision = { mode: decision.mode, source: "evals", reason: choice.reason };
    } else evalsNote = choice.reason;
  }
  let skipped: string | undefined;
  let orchestratorRouted = false;
  if (decision.mode === "orchestrated" && guessedMode) {
    // Only a guess asked for the orchestrator: without a route for it the turn runs with the
    // executor alone, and says so. An explicit --orchestrate or a config rule still fails below.
    const failure = await roleFailure(client, roles.orchestrator, "orchestrator", waitForReset);
    orchestratorRouted = failure === undefined;
    if (failure) {
      skipped = `orchestration skipped (${decision.reason}): role orchestrator, model "${roles.orchestrator.model}", has no allowed route: ${failure}`;
      decision = {
        mode: "executor",
        source: decision.source,
        reason: `${decision.source === "evals" ? `${decision.reason}; ` : ""}the orchestrator has no allowed route`,
      };
    }
  }
  await checkRoles(
    client,
    roles,
    {
      orchestrator: decision.mode === "orchestrated" && !orchestratorRouted,
      executor: true,
      qa: settings.qa !== undefined,
    },
    waitForReset,
  );
  return {
    decision,
    roles,
    ...(skipped ? { skipped } : {}),
    ...(evalsNote ? { evalsNote } : {}),
    ...(toolset ? { toolset } : {}),
  };
}

/** The eval link's choice among models that have an allowed route (policy, usable profile). */
async function chooseAllowed(
  client: ModelClient,
  routing: EvalRouting,
  prompt: string,
  waitForReset: boolean,
): Promise<EvalChoice> {
  const refused = new Map<string, string>();
  for (;;) {
    const choice = chooseByEvals(prompt, routing, refused);
    if (!choice.model) return choice;
    const failure = await roleFailure(client, { model: choice.model }, "executor", waitForReset);
    if (failure === undefined) return choice;
    refused.set(choice.model, failure);
  }
}
