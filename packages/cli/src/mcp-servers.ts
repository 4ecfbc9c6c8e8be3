import { join } from "node:path";
import { createMcpManager, type McpServerManager } from "@hedge/core";
import type { HedgeConfig } from "./config/schema.js";
import { recordMcpProbes } from "./mcp-cache.js";
import { HEDGE_VERSION } from "./version.js";

/** Where each server's stderr goes: `$HEDGE_HOME/logs/mcp/<server>.log`. */
export function mcpLogDir(home: string): string {
  return join(home, "logs", "mcp");
}

/**
 * Starts the configured MCP servers (in parallel) for a session, or returns undefined when none
 * is configured (the MCP SDK is then never loaded). A `required` server that fails throws
 * McpRequiredServerError: one line, exit 1, before any model request. Each server's probe is
 * recorded in the description cache either way.
 */
export async function startMcpServers(
  config: Pick<HedgeConfig, "mcp" | "mcp_servers">,
  home: string,
  signal: AbortSignal,
  hostEnv: NodeJS.ProcessEnv = process.env,
): Promise<McpServerManager | undefined> {
  if (Object.keys(config.mcp_servers).length === 0) return undefined;
  const manager = await createMcpManager({
    servers: config.mcp_servers,
    settings: config.mcp,
    logDir: mcpLogDir(home),
    hostEnv,
    clientInfo: { name: "hedge", version: HEDGE_VERSION },
  });
  try {
    await manager.start(signal);
  } finally {
    // What each server said about itself, for `hedge mcp list` and `cost --cached`.
    recordMcpProbes(home, config.mcp_servers, manager);
  }
  return manager;
}
