import type { McpManagerDeps, McpServerManager } from "./server-manager.js";

/**
 * A manager for the configured servers. The MCP SDK loads here, on demand: a run with no MCP
 * server never evaluates it.
 */
export async function createMcpManager(deps: McpManagerDeps): Promise<McpServerManager> {
  const { McpServerManager: Manager } = await import("./server-manager.js");
  return new Manager(deps);
}
