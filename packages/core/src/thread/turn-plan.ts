import type { ModelClient } from "@hedge/gateway-client";
import { decideTurn, type TurnDecision } from "../roles/turn-router.js";
import { checkRoles, roleFailure } from "./route-check.js";
import type { ThreadSettings } from "./settings.js";

/** How a turn runs, decided before it starts. */
export interface TurnPlan {
  decision: TurnDecision;
  /** Set when a guess asked for the orchestrator, which has no route: the notice to show. */
  skipped?: string;
}

/**
 * Decides how the turn on `prompt` runs (override, config rules, heuristic, default) and checks,
 * through the ModelClient, that every role it uses has an allowed route. A heuristic's wish for
 * the orchestrator is dropped, with a notice, when it has no route; an explicit one fails.
 */
export async function planTurn(
  client: ModelClient,
  settings: Pick<ThreadSettings, "roles" | "rules" | "override" | "qa" | "waitForReset">,
  prompt: string,
): Promise<TurnPlan> {
  const { roles, waitForReset } = settings;
  let decision = decideTurn({
    prompt,
    rules: settings.rules,
    ...(settings.override ? { override: settings.override } : {}),
  });
  let skipped: string | undefined;
  let orchestratorRouted = false;
  if (decision.mode === "orchestrated" && decision.source === "heuristic") {
    // Only a guess asked for the orchestrator: without a route for it the turn runs with the
    // executor alone, and says so. An explicit --orchestrate or a config rule still fails below.
    const failure = await roleFailure(client, roles.orchestrator, "orchestrator", waitForReset);
    orchestratorRouted = failure === undefined;
    if (failure) {
      skipped = `orchestration skipped (${decision.reason}): role orchestrator, model "${roles.orchestrator.model}", has no allowed route: ${failure}`;
      decision = {
        mode: "executor",
        source: "heuristic",
        reason: "the orchestrator has no allowed route",
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
  return skipped ? { decision, skipped } : { decision };
}
