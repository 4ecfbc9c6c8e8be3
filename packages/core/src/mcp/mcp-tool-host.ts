import type { CanonicalMessage, CanonicalTool } from "@hedge/model-spec";
import type { McpToolCallItem, ThreadItem } from "../agent/items.js";
import type { ToolCallOutcome, ToolCallRequest, ToolHost } from "../agent/tool-host.js";
import type { RoleName } from "../roles/role-models.js";
import { isApproved, type ApprovalAnswer, type ApprovalRequest } from "../tools/approval-schema.js";
import type { SecretRedactor } from "../tools/redact.js";
import { formatIssues, toModelJsonSchema } from "../tools/registry.js";
import type { ApprovalPolicy } from "../tools/tool.js";
import { planTools, type LazyPlan } from "./lazy-plan.js";
import type {
  McpCallFailure,
  McpCallOutcome,
  McpServerManager,
  McpToolInfo,
} from "./server-manager.js";
import { loadTokenizer, type Tokenizer } from "./tokens.js";
import { isMcpToolName } from "./tool-names.js";
import {
  parameterSummary,
  searchTools,
  toolSearchParamsSchema,
  TOOL_SEARCH_NAME,
  type ToolSearchParams,
} from "./tool-search.js";

/** What the MCP tools of one role need; the manager is started by the caller. */
export interface McpToolsOptions {
  manager: Pick<McpServerManager, "toolsFor" | "tool" | "call" | "states">;
  role: RoleName;
  approvalPolicy: ApprovalPolicy;
  approve: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  redactor: SecretRedactor;
  /** `mcp.eager_token_budget` resolved against the context window, in tokens. */
  budget: number;
}

/** A tool's definition as every request carries it (the wire codecs translate this one form). */
export function mcpToolSpec(tool: McpToolInfo): CanonicalTool {
  return { name: tool.qualifiedName, description: tool.description, parameters: tool.inputSchema };
}

/** Tokens of one definition: o200k over its JSON (an estimate for non-OpenAI models). */
export function specTokens(spec: CanonicalTool, tokenizer: Tokenizer): number {
  return tokenizer.count(JSON.stringify(spec));
}

const TOOL_SEARCH_DESCRIPTION =
  "Load tools that are listed here by name only. Give `query` (what you want to do) or `names` (exact names below); the tools found become callable in your next step.";

/**
 * A role's MCP tools over its built-in tool host: eager (every schema in every request) while
 * their definitions fit `mcp.eager_token_budget`, else deferred: the names are listed in
 * `tool_search`'s description and a tool's schema joins the requests once the model loads it.
 */
export class McpTools {
  private tokenizer: Tokenizer | undefined;
  private readonly costs = new Map<string, number>();
  /** Deferred tools the model loaded, in load order (appended: the request prefix stays cached). */
  private readonly loaded: string[] = [];

  constructor(private readonly options: McpToolsOptions) {}

  /**
   * Before a turn: loads the tokenizer, and replays the session's earlier `tool_search` calls and
   * MCP calls so a resumed session keeps the tools it loaded.
   */
  async prepare(history: readonly CanonicalMessage[]): Promise<void> {
    this.tokenizer ??= await loadTokenizer();
    for (const message of history) {
      for (const part of message.content) {
        if (part.type !== "tool_call") continue;
        if (part.name === TOOL_SEARCH_NAME) {
          const params = parseSearch(part.arguments);
          if (params) this.search(params);
        } else if (isMcpToolName(part.name)) this.markLoaded(part.name);
      }
    }
  }

  private tools(): McpToolInfo[] {
    return this.options.manager.toolsFor(this.options.role);
  }

  private cost(tool: McpToolInfo): number {
    const spec = mcpToolSpec(tool);
    const key = JSON.stringify(spec);
    let cost = this.costs.get(key);
    if (cost === undefined) {
      // Before prepare() (a caller that skipped it): the rough 4-characters estimate.
      cost = this.tokenizer ? specTokens(spec, this.tokenizer) : Math.ceil(key.length / 4);
      this.costs.set(key, cost);
    }
    return cost;
  }

  /** Eager or deferred now, for this role's tools as they are now. */
  plan(): LazyPlan {
    return planTools(
      this.tools().map((tool) => this.cost(tool)),
      this.options.budget,
    );
  }

  /** The MCP part of the next request's `tools`. */
  specs(): CanonicalTool[] {
    const tools = this.tools();
    if (tools.length === 0) return [];
    if (this.plan().mode === "eager") return tools.map(mcpToolSpec);
    const byName = new Map(tools.map((tool) => [tool.qualifiedName, tool]));
    const loaded = this.loaded.flatMap((name) => {
      const tool = byName.get(name);
      return tool ? [mcpToolSpec(tool)] : [];
    });
    return [this.searchSpec(tools), ...loaded];
  }

  private searchSpec(tools: readonly McpToolInfo[]): CanonicalTool {
    const servers = new Map<string, string[]>();
    for (const tool of tools)
      servers.set(tool.server, [...(servers.get(tool.server) ?? []), tool.qualifiedName]);
    const states = this.options.manager.states();
    const lines = [...servers].map(([server, names]) => {
      const state = states.get(server);
      const about =
        state?.status === "ready" && state.instructions
          ? ` (${state.instructions.replace(/\s+/g, " ").slice(0, 300)})`
          : "";
      return `${server}${about}: ${names.join(", ")}`;
    });
    return {
      name: TOOL_SEARCH_NAME,
      description: `${TOOL_SEARCH_DESCRIPTION}\nDeferred tools:\n${lines.join("\n")}`,
      parameters: toModelJsonSchema(toolSearchParamsSchema),
    };
  }

  private markLoaded(name: string): void {
    if (!this.loaded.includes(name)) this.loaded.push(name);
  }

  /** Runs a search (or a load by names), marks the matches loaded and describes them. */
  private search(params: ToolSearchParams): McpToolInfo[] {
    const tools = this.tools();
    const found =
      params.names !== undefined
        ? tools.filter((tool) => params.names?.includes(tool.qualifiedName))
        : searchTools(tools, params.query ?? "", params.limit);
    for (const tool of found) this.markLoaded(tool.qualifiedName);
    return found;
  }

  /** The role's tool host: built-ins from `base`, MCP tools (and `tool_search`) from here. */
  wrap(base: ToolHost): ToolHost {
    return {
      specs: () => [...base.specs(), ...this.specs()],
      run: (call, report, nextItemId, signal) => {
        if (call.name === TOOL_SEARCH_NAME && this.tools().length > 0)
          return Promise.resolve(this.runSearch(call, report, nextItemId));
        if (isMcpToolName(call.name)) return this.runTool(call, report, nextItemId, signal);
        return base.run(call, report, nextItemId, signal);
      },
    };
  }

  private runSearch(
    call: ToolCallRequest,
    report: (phase: "started" | "updated" | "completed", item: ThreadItem) => void,
    nextItemId: () => string,
  ): ToolCallOutcome {
    const id = nextItemId();
    const args = parseJson(call.arguments);
    const parsed = toolSearchParamsSchema.safeParse(args ?? {});
    const fail = (message: string): ToolCallOutcome => {
      report("completed", {
        id,
        type: "tool_call",
        tool: TOOL_SEARCH_NAME,
        arguments: args ?? call.arguments,
        error: `invalid_arguments: ${message}`,
        status: "failed",
      });
      return {
        content: JSON.stringify({ error: { type: "invalid_arguments", message } }),
        isError: true,
      };
    };
    if (!parsed.success) return fail(`${TOOL_SEARCH_NAME}: ${formatIssues(parsed.error)}`);
    const found = this.search(parsed.data);
    const output =
      found.length === 0
        ? "no tool matched; try other words, or names from the deferred list"
        : found
            .map(
              (tool) =>
                `${tool.qualifiedName}(${parameterSummary(tool.inputSchema)}): ${firstLine(tool.description)}`,
            )
            .join("\n") + "\nThese tools are now callable.";
    report("completed", {
      id,
      type: "tool_call",
      tool: TOOL_SEARCH_NAME,
      arguments: args ?? call.arguments,
      output,
      status: "completed",
    });
    return { content: output, isError: false };
  }

  private async runTool(
    call: ToolCallRequest,
    report: (phase: "started" | "updated" | "completed", item: ThreadItem) => void,
    nextItemId: () => string,
    signal: AbortSignal,
  ): Promise<ToolCallOutcome> {
    const { redactor } = this.options;
    const id = nextItemId();
    const info = this.tools().find((tool) => tool.qualifiedName === call.name);
    const args = parseJson(call.arguments);
    const item: McpToolCallItem = {
      id,
      type: "mcp_tool_call",
      server: info?.server ?? "",
      tool: info?.name ?? call.name,
      arguments: args ?? call.arguments,
      result: null,
      error: null,
      status: "in_progress",
    };
    report("started", item);
    const finish = (outcome: McpCallOutcome): ToolCallOutcome => {
      const result = outcome.result && {
        content: JSON.parse(redactor.redact(JSON.stringify(outcome.result.content))) as Record<
          string,
          unknown
        >[],
        structured_content: outcome.result.structuredContent,
      };
      if (outcome.ok) {
        report("completed", { ...item, result: result ?? null, status: "completed" });
        return { content: redactor.redact(outcome.result.text), isError: false };
      }
      const error = { ...outcome.error, message: redactor.redact(outcome.error.message) };
      report("completed", {
        ...item,
        result: result ?? null,
        error: { message: error.message },
        status: "failed",
      });
      return { content: JSON.stringify({ error }), isError: true };
    };
    // A role that may not use this server (or a name no server has) is an unknown tool.
    if (!info) {
      return finish({
        ok: false,
        error: { type: "unknown_tool", message: `there is no tool named "${call.name}"` },
      });
    }
    if (args === undefined || typeof args !== "object" || args === null || Array.isArray(args)) {
      return finish({
        ok: false,
        error: {
          type: "invalid_arguments",
          message: `${call.name}: arguments must be one JSON object`,
        },
      });
    }
    const denied = await this.approval(info, args, signal);
    if (denied) return finish({ ok: false, error: denied });
    // A deferred tool called without loading it first: it runs (the server checks its
    // arguments) and is loaded from now on.
    this.markLoaded(info.qualifiedName);
    return finish(
      await this.options.manager.call(info.qualifiedName, args as Record<string, unknown>, signal),
    );
  }

  /** Undefined when the call may run, else why not (the model reads it). */
  private async approval(
    info: McpToolInfo,
    args: unknown,
    signal: AbortSignal,
  ): Promise<McpCallFailure | undefined> {
    const ask =
      info.approval === "prompt" ||
      (info.approval === "auto" &&
        this.options.approvalPolicy === "untrusted" &&
        info.annotations?.readOnlyHint !== true);
    if (signal.aborted) return { type: "aborted", message: "the turn was interrupted" };
    if (!ask) return undefined;
    const answer = await this.options.approve({
      kind: "mcp_tool",
      server: info.server,
      tool: info.name,
      arguments: args,
      reason:
        info.approval === "prompt"
          ? `approval_mode = "prompt" for ${info.server}.${info.name}`
          : `approval policy "untrusted": ${info.server}.${info.name} is not marked read-only`,
    });
    if (isApproved(answer)) return undefined;
    const note = answer.type === "deny_with_note" ? `: ${answer.note}` : "";
    return {
      type: "approval_denied",
      message: `${info.server}.${info.name} was not run: approval was declined${note}`,
    };
  }
}

function parseJson(text: string): unknown {
  try {
    return text.trim() === "" ? {} : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function parseSearch(text: string): ToolSearchParams | undefined {
  const parsed = toolSearchParamsSchema.safeParse(parseJson(text) ?? {});
  return parsed.success ? parsed.data : undefined;
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").slice(0, 200);
}
