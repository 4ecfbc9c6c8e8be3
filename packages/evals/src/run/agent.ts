import type { ThreadSettings, TurnUsage } from "@hedge/core";
import type { ModelClient } from "@hedge/gateway-client";

/** The tool sets an eval can give the agent. */
export const TOOLSETS = ["default", "js"] as const;
export type Toolset = (typeof TOOLSETS)[number];

/** The models of one arm: the executor always, the other roles when asked for. */
export interface ArmRoles {
  executor: string;
  orchestrator: string | null;
  qa: string | null;
}

/**
 * What the runner needs from the composition root (cli) to run the real agent: the model
 * connection, thread settings for a worktree, and prices. Nothing here reaches the gateway
 * except through the ModelClient.
 */
export interface EvalAgent {
  client: ModelClient;
  /** The keys the connection holds (redacted from tool output like in any session). */
  heldSecrets: readonly string[];
  /**
   * Settings of a thread working in `worktree` with `roles` and `toolset`, `workspace-write`,
   * approvals `never`, and `hide` masked from its tools on top of the user's deny list.
   */
  settingsFor(input: {
    worktree: string;
    roles: ArmRoles;
    toolset: Toolset;
    hide: readonly string[];
  }): ThreadSettings;
  /** USD for one call's usage on a route; null when the route's model has no price. */
  priceCall(route: { provider: string; upstream_model: string }, usage: TurnUsage): number | null;
  /**
   * Provider classes of the routes `model` would take (a hosted one needs a budget), or why it
   * has none (then every attempt would fail: the run does not start).
   */
  routeClasses(model: string): Promise<{ classes: string[]; error?: string }>;
}
