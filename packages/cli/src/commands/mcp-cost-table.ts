import type { McpStatus } from "@hedge/core";

const number = (value: number): string => value.toLocaleString("en-US");

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/**
 * `hedge mcp cost` as a table: per server its tools, tokens, share of the context window, the
 * costliest tools and what its tool filters save; then the executor's total against the budget.
 */
export function formatCostTable(status: McpStatus, windowConfigured: boolean): string {
  const lines = [
    `model ${status.model} · ${status.wire} wire · context ${number(status.contextWindow)}${windowConfigured ? "" : " (default; set model_context_window)"} · count: ${status.count.method === "provider" ? status.count.detail : `estimate (${status.count.detail})`}`,
  ];
  if (status.probedAt) {
    const probes = Object.entries(status.probedAt).map(([name, at]) => `${name} ${at}`);
    lines.push(`cached descriptions, nothing started · probed: ${probes.join(" · ") || "none"}`);
  }
  const rows = status.servers.map((server) => {
    if (server.status !== "ready") {
      return [server.name, "-", "-", "-", `${server.status}: ${server.reason ?? ""}`, "-"];
    }
    const top = server.topTools
      .slice(0, 3)
      .map((tool) => `${tool.name} ${number(tool.tokens)}`)
      .join(" · ");
    return [
      server.name,
      String(server.tools),
      number(server.tokens),
      `${server.pct.toFixed(1)}%`,
      `${top}${server.topTools.length > 3 ? " · …" : ""}`,
      server.filterSaves === null
        ? "-"
        : `${number(server.filterSaves)} (${server.tools} of ${server.listedTools} kept)`,
    ];
  });
  const header = ["server", "tools", "tokens", "% ctx", "top tools", "enabled_tools saves"];
  // With a provider count, each server's number holds the fixed tool-use preamble once.
  const total = status.servers.reduce((sum, server) => sum + server.tokens, 0);
  const tools = status.servers.reduce((sum, server) => sum + server.tools, 0);
  const { executor } = status;
  const footer = [
    "total",
    String(tools),
    number(total),
    `${((total / status.contextWindow) * 100).toFixed(1)}%`,
    `executor: ${number(executor.tokens)}${status.count.method === "provider" ? " (estimate)" : ""} → ${executor.mode} (budget ${number(executor.budget)})`,
    "",
  ];
  const table = [header, ...rows, footer];
  const widths = header.map((_, column) =>
    Math.max(...table.map((row) => (row[column] ?? "").length)),
  );
  for (const row of table) {
    lines.push(
      row
        .map((cell, column) => pad(cell, widths[column] ?? 0, column >= 1 && column <= 3))
        .join("  ")
        .trimEnd(),
    );
  }
  return `${lines.join("\n")}\n`;
}
