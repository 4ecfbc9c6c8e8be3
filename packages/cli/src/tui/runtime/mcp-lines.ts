import type { McpStatus } from "@hedge/core";

const number = (value: number): string => value.toLocaleString("en-US");

/** `/mcp`: each server's state, its tools and what their definitions cost the context window. */
export function mcpLines(status: McpStatus | undefined): string[] {
  if (!status || status.servers.length === 0)
    return ["no MCP servers; add one with 'hedge mcp add NAME -- COMMAND'"];
  const servers = status.servers.map((server) => {
    if (server.status !== "ready")
      return `${server.name}: ${server.status}${server.reason ? ` (${server.reason})` : ""}`;
    const top = server.topTools
      .slice(0, 3)
      .map((tool) => `${tool.name} ${number(tool.tokens)}`)
      .join(", ");
    return `${server.name}: ready · ${server.tools} tool${server.tools === 1 ? "" : "s"} · ${number(server.tokens)} tokens (${server.pct.toFixed(1)}% of context)${top ? ` · ${top}` : ""}`;
  });
  return [...servers, mcpTotalLine(status)];
}

/** The MCP line of `/status`: the executor's tool definitions against the context window. */
export function mcpTotalLine(status: McpStatus): string {
  const { executor } = status;
  const ready = status.servers.filter((server) => server.status === "ready").length;
  const pct = ((executor.tokens / status.contextWindow) * 100).toFixed(1);
  return `mcp: ${ready} of ${status.servers.length} server${status.servers.length === 1 ? "" : "s"} ready · ${number(executor.tokens)} tokens of tools (${pct}% of context, ${executor.mode}; budget ${number(executor.budget)}) · estimate`;
}
