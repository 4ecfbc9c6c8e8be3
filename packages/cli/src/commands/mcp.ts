import { join } from "node:path";
import { HedgeError, UsageError } from "@hedge/model-spec";
import {
  createMcpManager,
  mcpStatus,
  mcpToolSpec,
  resolveRoles,
  DEFAULT_CONTEXT_WINDOW,
  type McpServerConfig,
  type McpServerManager,
  type McpStatus,
} from "@hedge/core";
import type { CanonicalTool } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { connectClient, gatewayUrl } from "../composition/connect.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { cachedManager, recordMcpProbes } from "../mcp-cache.js";
import { mcpLogDir } from "../mcp-servers.js";
import { HEDGE_VERSION } from "../version.js";
import { addServerToConfig, removeServerFromConfig } from "./mcp-config-file.js";
import { formatCostTable } from "./mcp-cost-table.js";
import { withProviderCount } from "./mcp-provider-count.js";
import { wireSerializer } from "./mcp-wire.js";

const write = (text: string): void => void process.stdout.write(text);
const json = (value: unknown): void => write(`${JSON.stringify(value, null, 2)}\n`);

/** Starts `servers` (none of them required: a probe reports failures, it does not stop). */
async function probe(
  home: string,
  servers: Readonly<Record<string, McpServerConfig>>,
  settings: Parameters<typeof createMcpManager>[0]["settings"],
): Promise<McpServerManager> {
  const probing = Object.fromEntries(
    Object.entries(servers).map(([name, server]) => [name, { ...server, required: false }]),
  );
  const manager = await createMcpManager({
    servers: probing,
    settings,
    logDir: mcpLogDir(home),
    hostEnv: process.env,
    clientInfo: { name: "hedge", version: HEDGE_VERSION },
  });
  await manager.start(AbortSignal.timeout(10 * 60_000));
  return manager;
}

function requireServer(
  servers: Readonly<Record<string, McpServerConfig>>,
  name: string,
): McpServerConfig {
  const server = servers[name];
  if (!server) {
    throw new UsageError(`no mcp server named ${name}`, {
      hint: `configured: ${Object.keys(servers).join(", ") || "none"}; add one with hedge mcp add`,
    });
  }
  return server;
}

/** What `hedge mcp add` takes besides the name. */
export interface McpAddOptions {
  url?: string;
  env: string[];
  envVar: string[];
  cwd?: string;
  required?: boolean;
  startupTimeout?: string;
  toolTimeout?: string;
  bearerTokenEnvVar?: string;
  header: string[];
  json: boolean;
}

function pairs(values: readonly string[], flag: string): Record<string, string> {
  return Object.fromEntries(
    values.map((value) => {
      const at = value.indexOf("=");
      if (at <= 0) throw new UsageError(`${flag} ${value}: expected KEY=VALUE`);
      return [value.slice(0, at), value.slice(at + 1)];
    }),
  );
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new UsageError(`${flag} ${value}: expected seconds`);
  return parsed;
}

/**
 * `hedge mcp add NAME [flags] -- COMMAND [ARGS...]` or `hedge mcp add NAME --url URL`: appends
 * `[mcp_servers.NAME]` to `$HEDGE_HOME/config.toml` (validated whole, written atomically).
 */
export function runMcpAdd(name: string, command: readonly string[], options: McpAddOptions): void {
  const { home } = commandContext({ configOverrides: [] });
  if ((options.url === undefined) === (command.length === 0)) {
    throw new UsageError("give a command after -- (a stdio server) or --url (an HTTP server)", {
      hint: "hedge mcp add fs -- npx -y @modelcontextprotocol/server-filesystem@2026.8.31 .",
    });
  }
  const startup = seconds(options.startupTimeout, "--startup-timeout");
  const tool = seconds(options.toolTimeout, "--tool-timeout");
  const table: Record<string, unknown> = {
    ...(options.url !== undefined
      ? {
          url: options.url,
          ...(options.bearerTokenEnvVar ? { bearer_token_env_var: options.bearerTokenEnvVar } : {}),
          ...(options.header.length ? { http_headers: pairs(options.header, "--header") } : {}),
        }
      : {
          command: command[0],
          args: command.slice(1),
          ...(options.env.length ? { env: pairs(options.env, "--env") } : {}),
          ...(options.envVar.length ? { env_vars: options.envVar } : {}),
          ...(options.cwd ? { cwd: options.cwd } : {}),
        }),
    ...(options.required ? { required: true } : {}),
    ...(startup === undefined ? {} : { startup_timeout_sec: startup }),
    ...(tool === undefined ? {} : { tool_timeout_sec: tool }),
  };
  const file = join(home, "config.toml");
  addServerToConfig(file, name, table);
  if (options.json) return json({ added: name, file });
  write(`added mcp server ${name} to ${file}\ncheck it with: hedge mcp test ${name}\n`);
}

/** `hedge mcp remove NAME`. */
export function runMcpRemove(name: string, options: { json: boolean }): void {
  const { home } = commandContext({ configOverrides: [] });
  const file = join(home, "config.toml");
  removeServerFromConfig(file, name);
  if (options.json) return json({ removed: name, file });
  write(`removed mcp server ${name} from ${file}\n`);
}

/**
 * `hedge mcp test NAME [--call TOOL --args JSON]`: starts the server, lists every page of its
 * tools, reports what it is; with --call, calls one tool. Exit 1 when it does not start.
 */
export async function runMcpTest(
  globals: GlobalOptions,
  name: string,
  options: { json: boolean; call?: string; args?: string },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { config } = loaded;
  const server = requireServer(config.mcp_servers, name);
  let args: Record<string, unknown> = {};
  if (options.args !== undefined) {
    try {
      args = JSON.parse(options.args) as Record<string, unknown>;
    } catch {
      throw new UsageError(`--args ${options.args}: expected a JSON object`);
    }
  }
  const manager = await probe(home, { [name]: { ...server, enabled: true } }, config.mcp);
  recordMcpProbes(home, { [name]: server }, manager);
  try {
    const state = manager.states().get(name);
    const called =
      options.call !== undefined && state?.status === "ready"
        ? await manager.call(
            manager.listedTools(name).find((tool) => tool.name === options.call)?.qualifiedName ??
              `mcp__${name}__${options.call}`,
            args,
            AbortSignal.timeout(server.tool_timeout_sec * 1000 + 1000),
          )
        : undefined;
    if (options.json) {
      json({ server: name, state, ...(called ? { call: called } : {}) });
    } else if (state?.status === "ready") {
      write(
        `${name}: ready in ${state.startupMs} ms · ${state.server.name} ${state.server.version} · ${state.tools.length} of ${state.listedTools} tools in ${state.pages} page${state.pages === 1 ? "" : "s"}${state.listChanged ? " · list_changed" : ""}\n`,
      );
      for (const tool of state.tools) write(`  ${tool.qualifiedName}\n`);
      if (called)
        write(
          `${called.ok ? "ok" : `failed (${called.error.type})`}: ${called.ok ? called.result.text : called.error.message}\n`,
        );
    } else if (state?.status === "failed") {
      write(`${name}: failed: ${state.reason}\nlog: ${state.logPath}\n`);
      if (state.stderrTail.trim()) write(`${state.stderrTail.trimEnd()}\n`);
    }
    process.exitCode =
      state?.status === "ready" && (called === undefined || called.ok) ? EXIT.ok : EXIT.failed;
  } finally {
    await manager.close();
  }
}

/**
 * `hedge mcp cost [--model M] [--server NAME] [--json] [--cached]`: starts the servers (or, with
 * --cached, reads their last probes) and counts their tool definitions as the model's wire
 * would send them, per server and per tool.
 */
export async function runMcpCost(
  globals: GlobalOptions,
  options: { json: boolean; model?: string; server?: string; cached?: boolean },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { config } = loaded;
  const servers = options.server
    ? { [options.server]: requireServer(config.mcp_servers, options.server) }
    : config.mcp_servers;
  if (Object.keys(servers).length === 0) {
    throw new HedgeError("mcp_none", "no mcp servers configured", {
      exitCode: EXIT.usage,
      hint: "add one with: hedge mcp add NAME -- COMMAND [ARGS...]",
    });
  }
  const model =
    options.model ??
    resolveRoles({
      config: config.roles,
      ...(config.model ? { model: config.model } : {}),
      roleFlags: [],
    }).executor.model;
  const wire = await wireSerializer(config, model);
  // --cached: the descriptions of the last probes; nothing is started.
  const manager = options.cached
    ? cachedManager(home, servers, config.mcp)
    : await probe(home, servers, config.mcp);
  if (!options.cached) recordMcpProbes(home, servers, manager);
  let status: McpStatus;
  const toolsByServer = new Map<string, CanonicalTool[]>();
  try {
    status = await mcpStatus(manager, {
      contextWindow: config.model_context_window ?? DEFAULT_CONTEXT_WINDOW,
      model: wire.model,
      wire: wire.wire,
      serialize: wire.serialize,
    });
    for (const [name, state] of manager.states()) {
      if (state.status === "ready") toolsByServer.set(name, state.tools.map(mcpToolSpec));
    }
  } finally {
    if ("close" in manager) await manager.close();
  }
  if ("probedAt" in manager) {
    status = { ...status, probedAt: Object.fromEntries(manager.probedAt) };
  }
  // Only a Messages route (or a gateway, which knows its routes) can have a count endpoint.
  if (wire.wire === "messages" || gatewayUrl(config, undefined) !== undefined) {
    status = await countedStatus(status, toolsByServer, config, home);
  }
  if (status.count.notice)
    process.stderr.write(`hedge: ${status.count.notice}; showing the estimate\n`);
  if (options.json) return json(status);
  write(formatCostTable(status, config.model_context_window !== undefined));
}

/** `status` counted by the routed provider where it can (see withProviderCount). */
async function countedStatus(
  status: McpStatus,
  toolsByServer: ReadonlyMap<string, readonly CanonicalTool[]>,
  config: Parameters<typeof connectClient>[0],
  home: string,
): Promise<McpStatus> {
  let connection: Awaited<ReturnType<typeof connectClient>> | undefined;
  try {
    connection = await connectClient(config, home, undefined);
    const secrets = await connection.secrets();
    return await withProviderCount(status, toolsByServer, { client: connection.client, secrets });
  } catch (error) {
    // The client could not be built (a locked keychain, a bad gateway URL): the estimate stands.
    const why = error instanceof Error ? error.message : String(error);
    return {
      ...status,
      count: { ...status.count, notice: `the provider's count failed (${why})` },
    };
  } finally {
    await connection?.client.close().catch(() => undefined);
  }
}
