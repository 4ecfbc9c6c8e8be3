import type { AgentEvent, ApprovalRequest } from "@hedge/core";
import { cleanLine } from "./sanitize.js";

/** One line naming what an approval request is about: the command, the MCP tool, or the patch's files. */
export function describeApproval(request: ApprovalRequest): string {
  if (request.kind === "exec") return cleanLine(request.command.join(" "));
  if (request.kind === "mcp_tool")
    return `call ${cleanLine(request.server)}'s tool ${cleanLine(request.tool)}`;
  const paths = request.changes.map(({ path }) => cleanLine(path));
  if (paths.length <= 2) return `edit ${paths.join(", ")}`;
  return `edit ${paths.slice(0, 2).join(", ")} and ${paths.length - 2} more`;
}

type Resolved = Extract<AgentEvent, { type: "approval.resolved" }>;

/** How an approval was answered, as a transcript line says it. */
export function describeAnswer(event: Resolved): { approved: boolean; outcome: string } {
  const by =
    event.by === "user"
      ? ""
      : event.by === "session"
        ? " (approved earlier this session)"
        : ` (${event.by})`;
  switch (event.answer.type) {
    case "approve_once":
      return { approved: true, outcome: `approved once${event.by === "user" ? "" : by}` };
    case "approve_session":
      return { approved: true, outcome: `approved for this session${by}` };
    case "deny":
      return { approved: false, outcome: `denied${by}` };
    case "deny_with_note":
      return { approved: false, outcome: `denied${by}: ${cleanLine(event.answer.note)}` };
  }
}

const SUMMARY_KEYS = ["path", "file_path", "file", "pattern", "query", "url", "dir", "command"];
const SUMMARY_LIMIT = 160;

/** A tool call's main argument (a path, a pattern), or its arguments as compact JSON. */
export function toolSummary(args: unknown): string {
  if (typeof args === "string") return clip(args);
  if (typeof args === "object" && args !== null && !Array.isArray(args)) {
    const record = args as Record<string, unknown>;
    for (const key of SUMMARY_KEYS) {
      const value = record[key];
      if (typeof value === "string" && value) return clip(value);
      if (Array.isArray(value) && value.every((part) => typeof part === "string"))
        return clip(value.join(" "));
    }
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(args);
  } catch {
    json = undefined;
  }
  return json === undefined || json === "{}" ? "" : clip(json);
}

function clip(text: string): string {
  return text.length <= SUMMARY_LIMIT ? text : `${text.slice(0, SUMMARY_LIMIT - 1)}…`;
}
