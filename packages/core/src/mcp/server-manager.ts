import type { RoleName } from "../roles/role-models.js";
import { McpRequiredServerError } from "./errors.js";
import type { McpServerConfig, McpSettings, ToolApprovalMode } from "./config-schema.js";
import { ErrorCode, McpError, type SdkTool, type ToolAnnotations } from "./sdk.js";
import {
  ServerConnection,
  ServerStartError,
  type ConnectionDeps,
  type ReadyServer,
} from "./server-connection.js";
import { loadTokenizer } from "./tokens.js";
import { cleanText, shapeResult, type ShapedResult } from "./tool-result.js";
import { qualifiedPrefix, qualifyToolNames } from "./tool-names.js";

/** One MCP tool as hedge offers it. */
export interface McpToolInfo {
  /** The model-visible name: `mcp__<server>__<tool>`. */
  qualifiedName: string;
  server: string;
  /** The server's own name for it. */
  name: string;
  description: string;
  /** JSON Schema of its arguments, as the server declared it. */
  inputSchema: Record<string, unknown>;
  annotations?: ToolAnnotations;
  /** The tool's approval mode from config (`tools.<tool>.approval_mode`, else the server's default). */
  approval: ToolApprovalMode;
}

/** Where a server is: shown by `hedge mcp list`, `/mcp` and `/status`. */
export type McpServerState =
  | { status: "starting"; since: number }
  | {
      status: "ready";
      tools: readonly McpToolInfo[];
      /** Tools the server lists before `enabled_tools`/`disabled_tools`. */
      listedTools: number;
      server: { name: string; version: string };
      instructions?: string;
      startupMs: number;
      pages: number;
      listChanged: boolean;
    }
  | { status: "failed"; reason: string; stderrTail: string; logPath: string }
  | { status: "disabled"; reason: "config" };

/** What a start did: the servers that failed (none of them required). */
export interface McpStartReport {
  failed: { server: string; reason: string }[];
}

/** A failed call, as data for the model. */
export interface McpCallFailure {
  type:
    | "mcp_timeout"
    | "mcp_server_unavailable"
    | "mcp_tool_error"
    | "unknown_tool"
    | "invalid_arguments"
    | "approval_denied"
    | "aborted";
  message: string;
}

export type McpCallOutcome =
  { ok: true; result: ShapedResult } | { ok: false; error: McpCallFailure; result?: ShapedResult };

export interface McpManagerDeps extends ConnectionDeps {
  servers: Readonly<Record<string, McpServerConfig>>;
  settings: McpSettings;
}

/** Whether a tool passes a server's filters: listed (when a list is given) and not disabled. */
function allowedTool(config: McpServerConfig, tool: string): boolean {
  if (config.enabled_tools !== undefined && !config.enabled_tools.includes(tool)) return false;
  return !config.disabled_tools.includes(tool);
}

function toolInfo(
  server: string,
  tool: SdkTool,
  config: McpServerConfig,
  qualifiedName: string,
): McpToolInfo {
  return {
    qualifiedName,
    server,
    name: tool.name,
    description: cleanText(tool.description ?? tool.title ?? ""),
    inputSchema: tool.inputSchema,
    ...(tool.annotations ? { annotations: tool.annotations } : {}),
    approval: config.tools[tool.name]?.approval_mode ?? config.default_tools_approval_mode,
  };
}

/**
 * Every configured MCP server: started in parallel, each with its state; their tools under
 * qualified names, filtered by config and by role; calls whose every failure is data.
 */
export class McpServerManager {
  private readonly connections = new Map<string, ServerConnection>();
  private readonly stateMap = new Map<string, McpServerState>();
  private readonly listed = new Map<string, SdkTool[]>();
  private byName = new Map<string, McpToolInfo>();
  private readonly listeners = new Set<(server: string) => void>();
  /** `[mcp]` as configured. */
  readonly settings: McpSettings;

  constructor(private readonly deps: McpManagerDeps) {
    this.settings = deps.settings;
    for (const [name, config] of Object.entries(deps.servers)) {
      if (!config.enabled) this.stateMap.set(name, { status: "disabled", reason: "config" });
    }
  }

  /**
   * Starts every enabled server at once. A `required` one that fails throws
   * McpRequiredServerError (after the others settled, and closing them); the others' failures
   * are reported for a notice.
   */
  async start(signal: AbortSignal): Promise<McpStartReport> {
    const enabled = Object.entries(this.deps.servers).filter(([, config]) => config.enabled);
    const results = await Promise.all(
      enabled.map(async ([name, config]) => {
        const connection = new ServerConnection(name, config, this.deps);
        this.connections.set(name, connection);
        const since = Date.now();
        this.stateMap.set(name, { status: "starting", since });
        try {
          const ready = await connection.start(signal);
          this.markReady(name, ready, Date.now() - since);
          connection.onToolsChanged = (tools) => this.toolsChanged(name, tools);
          connection.onExit = (reason) => this.markFailed(name, reason, connection.log.tail());
          return undefined;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          const tail = error instanceof ServerStartError ? error.stderrTail : "";
          this.markFailed(name, reason, tail);
          return { server: name, reason, required: config.required };
        }
      }),
    );
    const failed = results.filter((result) => result !== undefined);
    const required = failed.find((result) => result.required);
    if (required) {
      await this.close();
      const log = this.connections.get(required.server)?.log.path ?? "";
      throw new McpRequiredServerError(required.server, required.reason, log);
    }
    return { failed: failed.map(({ server, reason }) => ({ server, reason })) };
  }

  private markReady(name: string, ready: ReadyServer, startupMs: number): void {
    this.listed.set(name, ready.tools);
    this.stateMap.set(name, {
      status: "ready",
      tools: [],
      listedTools: ready.tools.length,
      server: ready.server,
      ...(ready.instructions ? { instructions: cleanText(ready.instructions) } : {}),
      startupMs,
      pages: ready.pages,
      listChanged: ready.listChanged,
    });
    this.rebuildNames();
  }

  private markFailed(name: string, reason: string, stderrTail: string): void {
    this.listed.delete(name);
    const logPath = this.connections.get(name)?.log.path ?? "";
    this.stateMap.set(name, { status: "failed", reason, stderrTail, logPath });
    this.rebuildNames();
    for (const listener of this.listeners) listener(name);
  }

  private toolsChanged(name: string, tools: SdkTool[]): void {
    const state = this.stateMap.get(name);
    if (state?.status !== "ready") return;
    this.listed.set(name, tools);
    this.stateMap.set(name, { ...state, listedTools: tools.length });
    this.rebuildNames();
    for (const listener of this.listeners) listener(name);
  }

  /** Qualified names over every ready server at once, so collisions between servers are seen. */
  private rebuildNames(): void {
    const entries: { server: string; tool: SdkTool; config: McpServerConfig }[] = [];
    for (const [server, tools] of this.listed) {
      const config = this.deps.servers[server];
      if (!config) continue;
      for (const tool of tools)
        if (allowedTool(config, tool.name)) entries.push({ server, tool, config });
    }
    const names = qualifyToolNames(
      entries.map(({ server, tool }) => ({ server, tool: tool.name })),
    );
    const byName = new Map<string, McpToolInfo>();
    const perServer = new Map<string, McpToolInfo[]>();
    entries.forEach(({ server, tool, config }, index) => {
      const info = toolInfo(server, tool, config, names[index]?.qualifiedName ?? "");
      byName.set(info.qualifiedName, info);
      perServer.set(server, [...(perServer.get(server) ?? []), info]);
    });
    this.byName = byName;
    for (const [server, state] of this.stateMap) {
      if (state.status === "ready")
        this.stateMap.set(server, { ...state, tools: perServer.get(server) ?? [] });
    }
  }

  /** Every server's state, in config order. */
  states(): ReadonlyMap<string, McpServerState> {
    const ordered = new Map<string, McpServerState>();
    for (const name of Object.keys(this.deps.servers)) {
      const state = this.stateMap.get(name);
      if (state) ordered.set(name, state);
    }
    return ordered;
  }

  /** The servers a role may use (`mcp.roles`; QA none). */
  serversFor(role: RoleName): string[] {
    const allowed = role === "qa" ? [] : this.deps.settings.roles[role];
    const all = Object.keys(this.deps.servers);
    return allowed.includes("*") ? all : all.filter((name) => allowed.includes(name));
  }

  /** The tools of ready servers a role may use, server by server in config order. */
  toolsFor(role: RoleName): McpToolInfo[] {
    return this.serversFor(role).flatMap((server) => {
      const state = this.stateMap.get(server);
      return state?.status === "ready" ? [...state.tools] : [];
    });
  }

  /** Every tool a ready server lists, before its filters (what `enabled_tools` leaves out too). */
  listedTools(server: string): McpToolInfo[] {
    const config = this.deps.servers[server];
    const tools = this.listed.get(server) ?? [];
    if (!config) return [];
    const names = qualifyToolNames(tools.map((tool) => ({ server, tool: tool.name })));
    return tools.map((tool, index) =>
      toolInfo(server, tool, config, names[index]?.qualifiedName ?? ""),
    );
  }

  tool(qualifiedName: string): McpToolInfo | undefined {
    return this.byName.get(qualifiedName);
  }

  /** Told the name of a server whose tools changed (or that went away). */
  onToolsChanged(listener: (server: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls a tool; every failure (error result, timeout, a dead server) comes back as data. */
  async call(
    qualifiedName: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<McpCallOutcome> {
    const info = this.byName.get(qualifiedName);
    const connection = info && this.connections.get(info.server);
    if (!info || !connection || this.stateMap.get(info.server)?.status !== "ready") {
      const down = info?.server ?? this.downServerOf(qualifiedName);
      return {
        ok: false,
        error: {
          type: down ? "mcp_server_unavailable" : "unknown_tool",
          message: down
            ? `mcp server ${down} is not running; its tools are unavailable`
            : `there is no MCP tool named "${qualifiedName}"`,
        },
      };
    }
    const tokenizer = await loadTokenizer();
    const limit = this.deps.settings.tool_output_token_limit;
    try {
      const raw = await connection.call(info.name, args, signal);
      // A list change the call caused is in place before the model's next request.
      await connection.settled();
      const result = shapeResult(raw, limit, tokenizer);
      if (!result.isError) return { ok: true, result };
      return {
        ok: false,
        error: { type: "mcp_tool_error", message: result.text || `${info.name} failed` },
        result,
      };
    } catch (error) {
      return { ok: false, error: this.callFailure(info, connection, error) };
    }
  }

  /** The server a tool name belongs to when that server is not ready (failed, disabled). */
  private downServerOf(qualifiedName: string): string | undefined {
    return [...this.stateMap].find(
      ([server, state]) =>
        state.status !== "ready" && qualifiedName.startsWith(`${qualifiedPrefix(server)}`),
    )?.[0];
  }

  private callFailure(
    info: McpToolInfo,
    connection: ServerConnection,
    error: unknown,
  ): McpCallFailure {
    const where = `${info.server}.${info.name}`;
    if (error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number)) {
      return {
        type: "mcp_timeout",
        message: `${where} gave no answer in ${connection.config.tool_timeout_sec} s`,
      };
    }
    if (error instanceof McpError && error.code === (ErrorCode.ConnectionClosed as number)) {
      this.markFailed(info.server, "the server exited during a call", connection.log.tail());
      return {
        type: "mcp_server_unavailable",
        message: `mcp server ${info.server} exited during ${info.name}; its tools are unavailable`,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { type: "mcp_tool_error", message: `${where}: ${cleanText(message).slice(0, 2000)}` };
  }

  /** Ends every server (each server's whole process group). */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.close()));
  }
}
