import { isCodexEvent, type AgentEvent, type ThreadItem } from "@hedge/core";
import { paint } from "../terminal.js";

/** Writes agent events: JSONL on stdout (`--json`), or progress on stderr for people. */
export interface ExecPrinter {
  event(event: AgentEvent): void;
}

/**
 * `--json`: one event per line, exactly Codex's `exec --json` schema: hedge's own event types
 * (inputs, approvals, streaming, role activity) stay out; its extra item types are in.
 */
export function jsonPrinter(write: (text: string) => void): ExecPrinter {
  return {
    event: (event) => {
      if (isCodexEvent(event)) write(`${JSON.stringify(event)}\n`);
    },
  };
}

/** Human progress on stderr; the final message goes to stdout separately. */
export function humanPrinter(write: (text: string) => void): ExecPrinter {
  // An agent message is the final answer only if nothing follows it; hold it until we know.
  let pending: string | undefined;
  return {
    event(event) {
      // What it shows is what Codex shows; hedge's live events are for the TUI.
      if (!isCodexEvent(event)) return;
      if (pending !== undefined && event.type !== "turn.completed") {
        write(`${pending}\n`);
      }
      if (event.type !== "item.completed" || event.item.type !== "agent_message")
        pending = undefined;
      switch (event.type) {
        case "thread.started":
          write(paint.dim(`session ${event.thread_id}\n`));
          break;
        case "item.started":
          if (event.item.type === "command_execution")
            write(`${paint.bold("$")} ${event.item.command}\n`);
          break;
        case "item.completed":
          if (event.item.type === "agent_message") pending = event.item.text;
          else write(describeItem(event.item));
          break;
        case "turn.completed":
          write(
            paint.dim(
              `tokens: ${event.usage.input_tokens} in (${event.usage.cached_input_tokens} cached), ${event.usage.output_tokens} out\n`,
            ),
          );
          break;
        case "turn.failed":
          write(paint.red(`turn failed: ${event.error.message}\n`));
          break;
        case "error":
          write(paint.red(`error: ${event.message}\n`));
          break;
        default:
          break;
      }
    },
  };
}

function describeItem(item: ThreadItem): string {
  switch (item.type) {
    case "reasoning":
      return paint.dim(`thinking: ${firstLines(item.text, 3)}\n`);
    case "agent_message":
      return "";
    case "command_execution": {
      const status =
        item.status === "completed"
          ? paint.green(`exit ${item.exit_code ?? 0}`)
          : paint.red(item.exit_code === undefined ? item.status : `exit ${item.exit_code}`);
      return `${firstLines(item.aggregated_output, 8)}${item.aggregated_output ? "\n" : ""}${status}\n`;
    }
    case "file_change":
      return `${item.changes.map((change) => `${change.kind === "add" ? "A" : change.kind === "delete" ? "D" : "M"} ${change.path}`).join("\n")}${item.status === "failed" ? paint.red(" (failed)") : ""}\n`;
    case "todo_list":
      return `${item.items.map((todo) => `${todo.completed ? "[x]" : "[ ]"} ${todo.text}`).join("\n")}\n`;
    case "tool_call":
      return paint.dim(
        `${item.tool} ${item.status === "failed" ? paint.red(`failed: ${item.error ?? ""}`) : "ok"}\n`,
      );
    case "mcp_tool_call":
      return paint.dim(
        `mcp ${item.server}.${item.tool} ${item.status === "failed" ? paint.red(`failed: ${item.error?.message ?? ""}`) : "ok"}\n`,
      );
    case "route_decision":
      return paint.dim(
        `route: ${item.role} -> ${item.provider}/${item.upstream_model}${item.profile ? ` (profile ${item.profile})` : ""}: ${item.reason}\n`,
      );
    case "notice":
      return paint.yellow(`${item.message}\n`);
    case "profile_switch":
      return paint.yellow(`profile: ${item.provider} ${item.from} -> ${item.to}: ${item.reason}\n`);
    case "qa_verdict":
      return `${item.verdict === "pass" ? paint.green("qa: pass") : paint.yellow(`qa: ${item.verdict}`)} ${paint.dim(item.reason)}${item.tasks.length ? `\n${item.tasks.map((task) => `  + ${task}`).join("\n")}` : ""}\n`;
    case "error":
      return paint.red(`error: ${item.message}\n`);
    case "aside":
      return "";
  }
}

function firstLines(text: string, count: number): string {
  const lines = text.trimEnd().split("\n");
  return lines.length <= count
    ? lines.join("\n")
    : `${lines.slice(0, count).join("\n")}\n… (${lines.length - count} more lines)`;
}
