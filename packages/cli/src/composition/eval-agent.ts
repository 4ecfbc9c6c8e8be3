import { resolveThreadSettings, type ThreadSettings, type TurnUsage } from "@hedge/core";
import type { ArmRoles, EvalAgent } from "@hedge/evals";
import { costUsd, priceFor, resolveProvider } from "@hedge/gateway";
import type { HedgeConfig } from "../config/schema.js";
import { toolGuardOptions } from "../tool-guard.js";
import type { ClientConnection } from "./connect.js";

/**
 * The eval runner's view of this machine: the model connection, thread settings for an attempt's
 * worktree (workspace-write, approvals never, extra paths hidden) and the price of a call, from
 * the gateway's price table and `[providers.NAME.prices]`. A local provider's unpriced call
 * costs $0; a hosted one's is unknown (null).
 */
export async function evalAgent(
  config: HedgeConfig,
  home: string,
  connection: ClientConnection,
): Promise<EvalAgent> {
  const heldSecrets = await connection.secrets();
  const guard = toolGuardOptions(config, home, heldSecrets);
  return {
    client: connection.client,
    heldSecrets,
    settingsFor: ({ worktree, roles, toolset, hide }): ThreadSettings =>
      resolveThreadSettings({
        home,
        cwd: worktree,
        config,
        flags: {
          model: roles.executor,
          roles: roleFlags(roles),
          // Only the roles the run names: an eval measures what it asked for.
          ...(roles.orchestrator ? {} : { orchestrate: false }),
          qa: roles.qa !== null,
          sandboxMode: "workspace-write",
          approvalPolicy: "never",
          toolset,
        },
        guard: { ...guard, denyRead: [...guard.denyRead, ...hide] },
        interactive: false,
      }),
    priceCall: (route, usage: TurnUsage) => {
      const configured = config.providers[route.provider];
      if (!configured) return null;
      const provider = resolveProvider(route.provider, configured);
      const price = priceFor(provider.type, route.upstream_model, provider.prices);
      if (!price) return provider.providerClass === "local" ? 0 : null;
      return costUsd(price, usage);
    },
    routeClasses: async (model) => {
      const view = await connection.client.explain({ model, role: "executor" });
      const classes = [...new Set(view.routes.map((route) => route.class))];
      return view.error ? { classes, error: view.error.message } : { classes };
    },
  };
}

function roleFlags(roles: ArmRoles): string[] {
  return [
    ...(roles.orchestrator ? [`orchestrator=${roles.orchestrator}`] : []),
    ...(roles.qa ? [`qa=${roles.qa}`] : []),
  ];
}
