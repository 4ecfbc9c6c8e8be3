import type { CanonicalMessage } from "@hedge/model-spec";
import type { ToolHost } from "../agent/tool-host.js";
import type { ApprovalAnswer, ApprovalRequest } from "../tools/approval-schema.js";
import { SecretRedactor } from "../tools/redact.js";
import type { ApprovalPolicy } from "../tools/tool.js";
import { resolveBudget } from "./lazy-plan.js";
import { McpTools } from "./mcp-tool-host.js";
import type { McpServerManager } from "./server-manager.js";
import { mcpStatus, type McpStatus, type McpStatusOptions } from "./status.js";

/** What a thread needs to offer its roles MCP tools. */
export interface ThreadMcpOptions {
  manager: McpServerManager;
  approvalPolicy: ApprovalPolicy;
  approve: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  /** Redacted from every MCP result, as from the built-in tools' output. */
  secrets: readonly string[];
  contextWindow: number;
  /** The executor's model, named in the status. */
  model: string;
}

/**
 * A thread's MCP side: each role's tools over its built-in host, the notices a turn should
 * show (servers that failed, tool lists that changed), and the status for `/mcp`/`/status`.
 */
export class ThreadMcp {
  private readonly executor: McpTools;
  private readonly orchestrator: McpTools;
  private readonly notices: string[] = [];

  constructor(private readonly options: ThreadMcpOptions) {
    const { manager } = options;
    const shared = {
      manager,
      approvalPolicy: options.approvalPolicy,
      approve: options.approve,
      redactor: new SecretRedactor(options.secrets),
      budget: resolveBudget(manager.settings.eager_token_budget, options.contextWindow),
    };
    this.executor = new McpTools({ ...shared, role: "executor" });
    this.orchestrator = new McpTools({ ...shared, role: "orchestrator" });
    for (const [server, state] of manager.states()) {
      if (state.status === "failed")
        this.notices.push(
          `mcp server ${server} failed: ${state.reason}; its tools are unavailable (log: ${state.logPath})`,
        );
    }
    manager.onToolsChanged((server) => {
      const state = manager.states().get(server);
      this.notices.push(
        state?.status === "ready"
          ? `mcp server ${server} changed its tools: ${state.tools.length} now`
          : `mcp server ${server} stopped: ${state?.status === "failed" ? state.reason : "unknown"}; its tools are unavailable`,
      );
    });
  }

  /** The role's host: its built-in tools, then its MCP tools (eager, or `tool_search`). */
  wrap(role: "executor" | "orchestrator", tools: ToolHost): ToolHost {
    return (role === "executor" ? this.executor : this.orchestrator).wrap(tools);
  }

  /** Before a turn: the notices to show since the last one, and loaded tools replayed. */
  async beforeTurn(history: readonly CanonicalMessage[]): Promise<string[]> {
    await this.executor.prepare(history);
    await this.orchestrator.prepare(history);
    return this.notices.splice(0);
  }

  status(wire: Pick<McpStatusOptions, "serialize" | "wire"> = {}): Promise<McpStatus> {
    return mcpStatus(this.options.manager, {
      ...wire,
      contextWindow: this.options.contextWindow,
      model: this.options.model,
    });
  }
}
