import type { ToolHost } from "../agent/tool-host.js";
import type { McpServerManager } from "../mcp/server-manager.js";
import { ThreadMcp } from "../mcp/thread-mcp.js";
import { createPlanningToolRegistry, createToolsetRegistry } from "../tools/default-tools.js";
import { createToolHost } from "../tools/host.js";
import type { ApprovalBroker } from "./approval-broker.js";
import type { ThreadSettings } from "./settings.js";

/** A thread's tools: the executor's, the orchestrator's (planning), and MCP's when configured. */
export interface ThreadTools {
  tools: ToolHost;
  orchestratorTools: ToolHost;
  mcp: ThreadMcp | undefined;
}

/**
 * Builds a thread's tools from its settings: sandbox, approvals (answered by `approve`), and the
 * secrets they must never show (hedge's held keys and the guard's).
 */
export function createThreadTools(
  settings: ThreadSettings,
  deps: { heldSecrets?: readonly string[] | undefined; mcp?: McpServerManager | undefined },
  approve: ApprovalBroker["request"],
): ThreadTools {
  const guard = settings.guard;
  const toolOptions = {
    workspace: settings.workspace,
    cwd: settings.cwd,
    writableRoots: settings.writableRoots,
    sandboxMode: settings.sandboxMode,
    network: settings.network,
    approvalPolicy: settings.approvalPolicy,
    approve,
    // hedge's keys stay out of tools' children and output; secret stores stay hidden.
    secrets: [...(deps.heldSecrets ?? []), ...guard.secrets],
    keyVariables: guard.keyVariables,
    shellEnvironment: guard.shellEnvironment,
    denyRead: guard.denyRead,
    ...(settings.privateTmp === undefined ? {} : { privateTmp: settings.privateTmp }),
  };
  const tools = createToolHost({
    ...toolOptions,
    registry: createToolsetRegistry(settings.toolset),
  });
  const orchestratorTools = createToolHost({
    ...toolOptions,
    registry: createPlanningToolRegistry(),
  });
  const mcp =
    deps.mcp &&
    new ThreadMcp({
      manager: deps.mcp,
      approvalPolicy: settings.approvalPolicy,
      approve,
      secrets: toolOptions.secrets,
      contextWindow: settings.contextWindow,
      model: settings.roles.executor.model,
    });
  return {
    tools: mcp?.wrap("executor", tools) ?? tools,
    orchestratorTools: mcp?.wrap("orchestrator", orchestratorTools) ?? orchestratorTools,
    mcp,
  };
}
