import type { ThreadItem } from "@hedge/core";
import type { AsideCell, Cell, CommandCell, FileChangeCell, ToolCell } from "./cells.js";
import { toolSummary } from "./describe.js";
import { cleanLine, cleanText } from "./sanitize.js";

/*
 * Thread items as transcript cells: every text the model, a tool or the repository wrote is
 * cleaned here (`sanitize.ts`), so a cell never carries an escape sequence.
 */

/** A side question's cell from its item; `raw` is the answer streamed so far. */
export function asideCell(item: Extract<ThreadItem, { type: "aside" }>, raw: string): AsideCell {
  return {
    kind: "aside",
    id: item.id,
    question: cleanText(item.question),
    markdown: cleanText(item.status === "in_progress" ? raw : item.text),
    status: item.status === "in_progress" ? "running" : item.status,
    model: cleanLine(item.model),
    profile: item.profile == null ? null : cleanLine(item.profile),
    ...(item.cached_input_tokens === undefined ? {} : { cachedTokens: item.cached_input_tokens }),
    ...(item.error === undefined ? {} : { error: cleanText(item.error) }),
  };
}

/** A tool call's cell in the given status. */
export function toolCell(
  item: Extract<ThreadItem, { type: "tool_call" }>,
  status: ToolCell["status"],
): ToolCell {
  return {
    kind: "tool",
    id: item.id,
    tool: cleanLine(item.tool),
    summary: cleanLine(toolSummary(item.arguments)),
    status,
    ...(item.error === undefined ? {} : { error: cleanLine(item.error) }),
  };
}

/** An MCP tool call's cell: `server/tool`, its main argument, its text result or error. */
export function mcpToolCell(
  item: Extract<ThreadItem, { type: "mcp_tool_call" }>,
  status: ToolCell["status"],
): ToolCell {
  const text = (item.result?.content ?? [])
    .flatMap((block) =>
      block["type"] === "text" && typeof block["text"] === "string" ? [block["text"]] : [],
    )
    .join("\n");
  return {
    kind: "tool",
    id: item.id,
    tool: cleanLine(`${item.server}/${item.tool}`),
    summary: cleanLine(toolSummary(item.arguments)),
    status,
    ...(item.error ? { error: cleanLine(item.error.message) } : {}),
    ...(text.trim() ? { result: cleanText(text) } : {}),
  };
}

/** A command's run time from when the TUI saw it start. */
export function duration(cell: CommandCell, now: number): { durationMs?: number } {
  return cell.startedAt === undefined ? {} : { durationMs: Math.max(0, now - cell.startedAt) };
}

/** The committed cell of a finished item (agent messages and asides are handled apart). */
export function completedCell(
  item: ThreadItem,
  startedAt: number | undefined,
  now: number,
): Cell | undefined {
  switch (item.type) {
    case "reasoning": {
      const text = cleanText(item.text).trim();
      return text ? { kind: "reasoning", id: item.id, text } : undefined;
    }
    case "command_execution":
      return {
        kind: "command",
        id: item.id,
        command: cleanLine(item.command),
        status: item.status === "in_progress" ? "running" : item.status,
        output: cleanText(item.aggregated_output),
        ...(item.exit_code === undefined ? {} : { exitCode: item.exit_code }),
        ...(startedAt === undefined ? {} : { startedAt, durationMs: Math.max(0, now - startedAt) }),
      };
    case "tool_call":
      return toolCell(item, item.status === "in_progress" ? "running" : item.status);
    case "mcp_tool_call":
      return mcpToolCell(item, item.status === "in_progress" ? "running" : item.status);
    case "file_change":
      return fileChangeCell(item);
    case "todo_list":
      return {
        kind: "plan",
        id: item.id,
        items: item.items.map(({ text, completed }) => ({ text: cleanLine(text), completed })),
      };
    case "qa_verdict":
      return {
        kind: "qa",
        id: item.id,
        verdict: item.verdict,
        reason: cleanText(item.reason),
        tasks: item.tasks.map(cleanLine),
        round: item.round,
      };
    case "route_decision":
      return {
        kind: "route",
        id: item.id,
        role: cleanLine(item.role),
        target: cleanLine(`${item.provider}/${item.upstream_model}`),
        profile: item.profile === null ? null : cleanLine(item.profile),
        reason: cleanLine(item.reason),
      };
    case "profile_switch":
      return {
        kind: "notice",
        id: item.id,
        tone: "warning",
        text: cleanLine(`profile ${item.provider}: ${item.from} → ${item.to} · ${item.reason}`),
      };
    case "notice": {
      const text = cleanText(item.message);
      return {
        kind: "notice",
        id: item.id,
        tone: /^warning\b/i.test(text) ? "warning" : "info",
        text,
      };
    }
    case "error":
      return { kind: "error", id: item.id, message: cleanText(item.message) };
    case "agent_message":
    case "aside":
      return undefined;
  }
}

function fileChangeCell(item: Extract<ThreadItem, { type: "file_change" }>): FileChangeCell {
  return {
    kind: "file-change",
    id: item.id,
    status: item.status,
    changes: item.changes.map((change) => {
      // Core may carry the change's unified diff; shown when present.
      const diff =
        "diff" in change && typeof change.diff === "string" ? cleanText(change.diff) : undefined;
      return {
        path: cleanLine(change.path),
        kind: change.kind,
        ...(diff === undefined ? {} : { diff }),
      };
    }),
  };
}
