import { DEFAULT_CONTEXT_WINDOW, mcpStatus, resolveRoles, type McpStatus } from "@hedge/core";
import { commandContext } from "../command-context.js";
import type { HedgeConfig } from "../config/schema.js";
import type { GlobalOptions } from "../context.js";
import { cachedManager, readMcpProbe } from "../mcp-cache.js";
import { wireSerializer } from "./mcp-wire.js";

const write = (text: string): void => void process.stdout.write(text);

/** A server's last probe as `hedge mcp list` shows it (from the description cache). */
type LastProbe =
  | {
      state: "ready" | "failed";
      probed_at: string;
      tools: number;
      /** Estimated tokens of its tools for the executor's model (o200k over the wire's JSON). */
      tokens: number;
      reason?: string;
    }
  | { state: "stale"; probed_at: string; reason: string }
  | null;

/**
 * `hedge mcp list [--json]`: every configured server from config, with its last known state,
 * tool count and tokens from the description cache (nothing is started).
 */
export async function runMcpList(
  globals: GlobalOptions,
  options: { json: boolean },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { config } = loaded;
  const roles = (name: string): string[] =>
    (["executor", "orchestrator"] as const).filter((role) => {
      const allowed = config.mcp.roles[role];
      return allowed.includes("*") || allowed.includes(name);
    });
  const costs = await cachedCosts(config, home).catch(() => undefined);
  const rows = Object.entries(config.mcp_servers).map(([name, server]) => {
    const probe = readMcpProbe(home, name, server);
    const cost = costs?.servers.find((entry) => entry.name === name);
    const lastProbe: LastProbe =
      probe.kind === "none"
        ? null
        : probe.kind === "stale"
          ? { state: "stale", probed_at: probe.probedAt, reason: "config changed since the probe" }
          : {
              state: probe.entry.probe.status,
              probed_at: probe.entry.probedAt,
              tools: probe.entry.probe.status === "ready" ? probe.entry.probe.tools.length : 0,
              tokens: cost?.tokens ?? 0,
              ...(probe.entry.probe.status === "failed"
                ? { reason: probe.entry.probe.reason }
                : {}),
            };
    return {
      name,
      transport: server.url ? "http" : "stdio",
      target: server.url ?? [server.command, ...(server.args ?? [])].join(" "),
      enabled: server.enabled,
      required: server.required,
      roles: roles(name),
      enabled_tools: server.enabled_tools ?? null,
      disabled_tools: server.disabled_tools,
      last_probe: lastProbe,
    };
  });
  if (options.json) {
    write(
      `${JSON.stringify({ servers: rows, ...(costs ? { model: costs.model } : {}) }, null, 2)}\n`,
    );
    return;
  }
  if (rows.length === 0) {
    write("no mcp servers configured; add one with: hedge mcp add NAME -- COMMAND [ARGS...]\n");
    return;
  }
  for (const row of rows) {
    const flags = [
      row.enabled ? "" : "disabled",
      row.required ? "required" : "",
      row.roles.length ? `roles ${row.roles.join(",")}` : "no role",
      row.enabled_tools ? `tools ${row.enabled_tools.join(",")}` : "",
    ].filter(Boolean);
    write(`${row.name}  ${row.transport}  ${row.target}  (${flags.join("; ")})\n`);
    write(`  ${describeProbe(row.name, row.last_probe)}\n`);
  }
}

function describeProbe(name: string, probe: LastProbe): string {
  if (probe === null) return `not probed yet: hedge mcp test ${name}`;
  if (probe.state === "stale") {
    return `config changed since the probe of ${probe.probed_at}: hedge mcp test ${name}`;
  }
  if (probe.state === "failed") return `failed at ${probe.probed_at}: ${probe.reason ?? ""}`;
  return `ready at ${probe.probed_at} · ${probe.tools} tools · ${probe.tokens.toLocaleString("en-US")} tokens (estimate)`;
}

/** The cached servers' estimated cost for the executor's model (no server is started). */
async function cachedCosts(config: HedgeConfig, home: string): Promise<McpStatus> {
  const model = resolveRoles({
    config: config.roles,
    ...(config.model ? { model: config.model } : {}),
    roleFlags: [],
  }).executor.model;
  const wire = await wireSerializer(config, model);
  return mcpStatus(cachedManager(home, config.mcp_servers, config.mcp), {
    contextWindow: config.model_context_window ?? DEFAULT_CONTEXT_WINDOW,
    model: wire.model,
    wire: wire.wire,
    serialize: wire.serialize,
  });
}
