import type { CanonicalTool } from "@hedge/model-spec";
import { resolveBudget } from "./lazy-plan.js";
import { mcpToolSpec } from "./mcp-tool-host.js";
import type { McpServerManager, McpServerState, McpToolInfo } from "./server-manager.js";
import { loadTokenizer } from "./tokens.js";

/** One server's line of `hedge mcp cost`, `/mcp` and `/status`. */
export interface McpServerCost {
  name: string;
  status: McpServerState["status"];
  /** Why it failed or is disabled. */
  reason?: string;
  /** Tools offered after `enabled_tools`/`disabled_tools`. */
  tools: number;
  /** Tools the server lists. */
  listedTools: number;
  /**
   * Tokens of the offered tools' definitions: the provider's count when `count.method` is
   * `provider` (what adding this server alone adds to a request), else the estimate.
   */
  tokens: number;
  /** The estimate (o200k over the wire's JSON), kept when a provider counted `tokens`. */
  estimatedTokens?: number;
  /** Share of the context window, 0-100. */
  pct: number;
  /** The most expensive tools first (always estimated: a provider count per tool is too dear). */
  topTools: { name: string; tokens: number }[];
  /** What the server's tool filters save now (null: it has none). */
  filterSaves: number | null;
  startupMs?: number;
  /** The roles whose requests carry this server's tools. */
  roles: string[];
}

/** What MCP tools cost a model's requests. */
export interface McpStatus {
  model: string;
  contextWindow: number;
  /**
   * How the servers' tokens were counted: by the routed provider's count endpoint
   * (`provider`, naming it), else an estimate; `notice` says why a count fell back.
   */
  count: { method: "provider" | "estimate"; detail: string; provider?: string; notice?: string };
  /** The wire format the definitions were serialised for (`canonical` when none was given). */
  wire: string;
  servers: McpServerCost[];
  /** From cached descriptions (`hedge mcp cost --cached`): when each server was probed (ISO). */
  probedAt?: Record<string, string>;
  /**
   * The executor's MCP tools in total, and whether they are sent eager or deferred: always the
   * estimate, the same number a session's lazy-tools decision uses.
   */
  executor: { tokens: number; budget: number; mode: "eager" | "deferred" };
}

export interface McpStatusOptions {
  contextWindow: number;
  model: string;
  /** The tool as the routed model's wire carries it (default: hedge's canonical form). */
  serialize?: (spec: CanonicalTool) => unknown;
  wire?: string;
}

/**
 * Costs every configured server's tools for one model: tokens of the exact definitions as the
 * wire would send them (o200k: an estimate for non-OpenAI models), per server and per tool.
 */
export async function mcpStatus(
  manager: Pick<McpServerManager, "states" | "serversFor" | "settings" | "listedTools">,
  options: McpStatusOptions,
): Promise<McpStatus> {
  const tokenizer = await loadTokenizer();
  const serialize = options.serialize ?? ((spec: CanonicalTool) => spec);
  const count = (tool: McpToolInfo): number =>
    tokenizer.count(JSON.stringify(serialize(mcpToolSpec(tool))));
  const pct = (tokens: number): number => Math.round((tokens / options.contextWindow) * 1000) / 10;
  const executorServers = new Set(manager.serversFor("executor"));
  const orchestratorServers = new Set(manager.serversFor("orchestrator"));
  const servers: McpServerCost[] = [...manager.states()].map(([name, state]) => {
    const roles = [
      ...(executorServers.has(name) ? ["executor"] : []),
      ...(orchestratorServers.has(name) ? ["orchestrator"] : []),
    ];
    if (state.status !== "ready") {
      return {
        name,
        status: state.status,
        ...(state.status === "failed" ? { reason: state.reason } : {}),
        ...(state.status === "disabled" ? { reason: "enabled = false" } : {}),
        tools: 0,
        listedTools: 0,
        tokens: 0,
        pct: 0,
        topTools: [],
        filterSaves: null,
        roles,
      };
    }
    const costs = state.tools.map((tool) => ({ name: tool.name, tokens: count(tool) }));
    const tokens = costs.reduce((sum, tool) => sum + tool.tokens, 0);
    const listed = manager.listedTools(name);
    const filtered = listed.length !== state.tools.length;
    const allTokens = filtered ? listed.reduce((sum, tool) => sum + count(tool), 0) : tokens;
    return {
      name,
      status: "ready",
      tools: state.tools.length,
      listedTools: state.listedTools,
      tokens,
      pct: pct(tokens),
      topTools: costs.sort((left, right) => right.tokens - left.tokens),
      filterSaves: filtered ? allTokens - tokens : null,
      startupMs: state.startupMs,
      roles,
    };
  });
  const executorTokens = servers
    .filter((server) => executorServers.has(server.name))
    .reduce((sum, server) => sum + server.tokens, 0);
  const budget = resolveBudget(manager.settings.eager_token_budget, options.contextWindow);
  return {
    model: options.model,
    contextWindow: options.contextWindow,
    count: { method: "estimate", detail: `${tokenizer.method} over the JSON of each definition` },
    wire: options.wire ?? "canonical",
    servers,
    executor: {
      tokens: executorTokens,
      budget,
      mode: executorTokens <= budget ? "eager" : "deferred",
    },
  };
}
