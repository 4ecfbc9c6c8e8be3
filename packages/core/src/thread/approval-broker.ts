import type { AgentEvent } from "../agent/events.js";
import type { ApprovalAnswer, ApprovalRequest } from "../tools/approval-schema.js";

/**
 * Who answers approvals: `ask` reports each request as an event and waits for
 * `answer(request_id, …)` (the TUI asks the person); `deny` answers every request at once by
 * policy (exec, the daemon: nobody can approve).
 */
export type ApprovalMode = "ask" | "deny";

/**
 * Turns the tools' approval callback into events: `approval.requested` with an id, then
 * `approval.resolved` once answered. An answer `approve_session` lets the same action run again
 * without asking for the rest of the thread.
 */
export class ApprovalBroker {
  private readonly waiting = new Map<
    string,
    { key: string; resolve: (answer: ApprovalAnswer) => void }
  >();
  private readonly approvedForSession = new Set<string>();
  private counter = 0;

  constructor(
    private readonly mode: ApprovalMode,
    private readonly emit: (event: AgentEvent) => void,
  ) {}

  /** The tools' `approve`: resolves with the answer. */
  request(request: ApprovalRequest): Promise<ApprovalAnswer> {
    const key = approvalKey(request);
    this.counter += 1;
    const id = `approval_${this.counter}`;
    this.emit({ type: "approval.requested", request_id: id, request });
    if (this.approvedForSession.has(key)) {
      const answer: ApprovalAnswer = { type: "approve_session" };
      this.emit({ type: "approval.resolved", request_id: id, answer, by: "session" });
      return Promise.resolve(answer);
    }
    if (this.mode === "deny") {
      const answer: ApprovalAnswer = { type: "deny" };
      this.emit({ type: "approval.resolved", request_id: id, answer, by: "policy" });
      return Promise.resolve(answer);
    }
    return new Promise((resolve) => this.waiting.set(id, { key, resolve }));
  }

  /** Answers a waiting request; false when there is none with this id (or it was answered). */
  answer(requestId: string, answer: ApprovalAnswer): boolean {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return false;
    this.waiting.delete(requestId);
    if (answer.type === "approve_session") this.approvedForSession.add(waiting.key);
    this.emit({ type: "approval.resolved", request_id: requestId, answer, by: "user" });
    waiting.resolve(answer);
    return true;
  }

  /** Denies every waiting request (the turn was interrupted). */
  cancelAll(): void {
    for (const [requestId, waiting] of [...this.waiting]) {
      this.waiting.delete(requestId);
      const answer: ApprovalAnswer = { type: "deny" };
      this.emit({ type: "approval.resolved", request_id: requestId, answer, by: "interrupt" });
      waiting.resolve(answer);
    }
  }
}

/** What "the same action" means for approve_session: the same command, or patches to the same files. */
function approvalKey(request: ApprovalRequest): string {
  if (request.kind === "exec")
    return JSON.stringify(["exec", request.command, request.cwd, request.sandboxed]);
  // approve_session on an MCP tool: that tool, whatever its arguments.
  if (request.kind === "mcp_tool")
    return JSON.stringify(["mcp_tool", request.server, request.tool]);
  return JSON.stringify(["patch", request.changes.map((change) => [change.path, change.kind])]);
}
