import type { RouteDecisionItem } from "../agent/items.js";
import type { RoleName } from "../roles/role-models.js";
import type { PendingInput } from "./input-store.js";
import type { ThreadSettings } from "./settings.js";
import type { RoleState, ThreadState } from "./thread-types.js";
import type { UsageTracker } from "./usage-tracker.js";

/** A thread's state for a status line, from its parts. */
export function threadState(parts: {
  sessionId: string;
  running: boolean;
  usage: UsageTracker;
  settings: Pick<ThreadSettings, "roles" | "contextWindow">;
  routes: ReadonlyMap<string, RouteDecisionItem>;
  contextRole: ThreadState["contextRole"];
  pinnedProfile: string | undefined;
  pending: PendingInput[];
}): ThreadState {
  const role = (name: RoleName): RoleState => {
    const route = parts.routes.get(name);
    return {
      ...parts.settings.roles[name],
      route: route && {
        provider: route.provider,
        upstream_model: route.upstream_model,
        profile: route.profile,
        reason: route.reason,
      },
    };
  };
  return {
    sessionId: parts.sessionId,
    running: parts.running,
    usage: parts.usage.total(),
    costUsd: null,
    contextUsedPct: parts.usage.contextUsedPct(),
    contextWindow: parts.settings.contextWindow,
    roles: { orchestrator: role("orchestrator"), executor: role("executor"), qa: role("qa") },
    contextRole: parts.contextRole,
    pinnedProfile: parts.pinnedProfile,
    pending: parts.pending,
  };
}
