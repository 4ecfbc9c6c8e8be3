import { execFile } from "node:child_process";
import {
  approvalPolicySchema,
  type AgentEvent,
  type McpStatus,
  type ThreadState,
} from "@hedge/core";
import {
  formatWait,
  UsageError,
  type RouteExplanationView,
  type RouteQuery,
  type UsageReportView,
} from "@hedge/model-spec";
import { mcpLines, mcpTotalLine } from "./mcp-lines.js";
import { modelPicker, profilePicker } from "./slash-pickers.js";
import type { PickerState } from "../state/session-state.js";
import type { SessionSummary } from "./session-list.js";
import type { ThreadChoice } from "./thread-host.js";

/** What the slash commands need: narrow on purpose (no config object). */
export interface SlashContext {
  cwd: string;
  /** The thread's status (usage, routes per role, session id). */
  state(): ThreadState;
  /** The model connection's usage report (headroom per profile), when it has one. */
  usage?(): Promise<UsageReportView>;
  /** Shows events in the transcript (notices, a command cell). */
  emit(event: AgentEvent): void;
  /** Sends a prompt as if typed (what `/init` asks the model). */
  send(prompt: string): void;
  /** The approval policy in force. */
  approvalPolicy(): string;
  /** Replaces the thread (between turns): another session, or this one with new settings. */
  switchTo(choice: ThreadChoice): Promise<void>;
  /** The most recent sessions, newest first. */
  recentSessions(): SessionSummary[];
  /** Opens a list picker whose choice runs `/command VALUE` (absent: the choices are listed). */
  pick?(picker: Omit<PickerState, "selected" | "filter">): void;
  /** The models the config names (providers' model lists, aliases), for the `/model` picker. */
  models?(): { model: string; description?: string }[];
  /** The MCP servers' states and costs (undefined: none configured). */
  mcpStatus?(): Promise<McpStatus | undefined>;
  /** A routing dry run (`ModelClient.explain`): the `/model` picker shows each model's state. */
  explain?(query: RouteQuery): Promise<RouteExplanationView>;
  /** Pins a profile for the session and shows the notice (throws one line when refused). */
  pinProfile?(name: string): Promise<void>;
  /** Compacts the conversation now and shows the result (tokens before and after). */
  compact?(): Promise<void>;
}

/** Runs `/name args` (every command of the registry except `/quit` and `/ask`). */
export type SlashHandler = (name: string, args: string) => Promise<void>;

const INIT_PROMPT = [
  "Write an AGENTS.md file at the root of this repository for coding agents that will work in it.",
  "Look at the repository first (layout, build, test and lint commands, conventions in the code).",
  "Keep it short and concrete: how to build, how to run the tests, the code style, what not to touch.",
  "If an AGENTS.md exists, improve it instead of replacing what is still right.",
].join(" ");

let noticeCounter = 0;

/** The slash commands' implementations. */
export function createSlashHandler(context: SlashContext): SlashHandler {
  const say = (lines: readonly string[]): void => {
    for (const message of lines) {
      noticeCounter += 1;
      context.emit({
        type: "item.completed",
        item: { id: `slash_${noticeCounter}`, type: "notice", message },
      });
    }
  };
  return async (name, args) => {
    switch (name) {
      case "model":
        if (!args && context.pick) {
          const models = context.models?.() ?? [];
          const explain = context.explain && ((query: RouteQuery) => context.explain!(query));
          context.pick(await modelPicker(context.state(), models, explain, Date.now()));
          return;
        }
        if (!args) {
          say([
            ...routeLines(context.state()),
            "/model PROVIDER/MODEL switches the executor's model",
          ]);
          return;
        }
        await context.switchTo({ model: args, keep: true });
        say([`executor model: ${context.state().roles.executor.model} (from the next turn)`]);
        return;
      case "profile": {
        if (args) {
          await context.pinProfile?.(args);
          return;
        }
        const report = context.usage ? await context.usage() : undefined;
        if (!report) say(["profiles: not available on this connection"]);
        else if (report.profiles.length === 0)
          say(["no profiles; log in with 'hedge auth login --provider PROVIDER'"]);
        else if (context.pick) context.pick(profilePicker(context.state(), report, Date.now()));
        else say([...usageLines(report, Date.now()), "/profile NAME pins one"]);
        return;
      }
      case "compact":
        await context.compact?.();
        return;
      case "approvals": {
        if (!args) {
          say([
            `approval policy: ${context.approvalPolicy()}`,
            `/approvals POLICY changes it: ${approvalPolicySchema.options.join(", ")}`,
          ]);
          return;
        }
        const policy = approvalPolicySchema.safeParse(args);
        if (!policy.success)
          throw new UsageError(
            `unknown approval policy "${args}": use one of ${approvalPolicySchema.options.join(", ")}`,
          );
        await context.switchTo({ approvalPolicy: policy.data, keep: true });
        say([`approval policy: ${policy.data}`]);
        return;
      }
      case "new":
        await context.switchTo({});
        say([`new session ${context.state().sessionId} (the last one stays saved for /resume)`]);
        return;
      case "resume": {
        if (!args && context.pick) {
          context.pick(resumePicker(context));
          return;
        }
        if (!args) {
          const sessions = context.recentSessions();
          say(
            sessions.length === 0
              ? ["no sessions yet"]
              : [
                  ...sessions.map(
                    (session) =>
                      `${session.id}  ${new Date(session.updatedAt).toISOString().slice(0, 16).replace("T", " ")}  ${session.title || "(no prompt)"}`,
                  ),
                  "/resume ID continues one (the start of the id is enough)",
                ],
          );
          return;
        }
        await context.switchTo({ resume: { id: args }, replay: true });
        say([`resumed session ${context.state().sessionId}`]);
        return;
      }
      case "status": {
        const mcp = await context.mcpStatus?.();
        say([...statusLines(context.state()), ...(mcp ? [mcpTotalLine(mcp)] : [])]);
        return;
      }
      case "mcp":
        say(mcpLines(await context.mcpStatus?.()));
        return;
      case "route":
        say(routeLines(context.state()));
        return;
      case "usage":
        say(
          context.usage ? usageLines(await context.usage(), Date.now()) : ["usage: not available"],
        );
        return;
      case "diff":
        await showDiff(context);
        return;
      case "init":
        context.send(INIT_PROMPT);
        return;
      default:
        say([`/${name} is not available in this version`]);
    }
  };
}

/** `/resume`: the recent sessions, newest first; the one open now is marked. */
function resumePicker(context: SlashContext): Omit<PickerState, "selected" | "filter"> {
  const open = context.state().sessionId;
  return {
    command: "resume",
    title: "Resume a session",
    items: context.recentSessions().map((session) => ({
      label: `${session.id.slice(0, 8)}  ${new Date(session.updatedAt).toISOString().slice(0, 16).replace("T", " ")}`,
      description: session.title || "(no prompt)",
      value: session.id,
      current: session.id === open,
    })),
  };
}

function statusLines(state: ThreadState): string[] {
  const usage = state.usage;
  const tokens = usage.input_tokens + usage.output_tokens;
  return [
    `session ${state.sessionId}`,
    ...routeLines(state),
    `tokens ${tokens.toLocaleString("en")} (${usage.cached_input_tokens.toLocaleString("en")} cached) · context ${state.contextUsedPct === null ? "unused" : `${Math.round(state.contextUsedPct)}% used`} of ${state.contextWindow.toLocaleString("en")}${state.costUsd === null ? "" : ` · $${state.costUsd.toFixed(2)}`}`,
    `${state.pending.length} input${state.pending.length === 1 ? "" : "s"} waiting`,
  ];
}

function routeLines(state: ThreadState): string[] {
  return (["orchestrator", "executor", "qa"] as const).map((role) => {
    const entry = state.roles[role];
    const route = entry.route;
    const served = route
      ? ` → ${route.provider}/${route.upstream_model}${route.profile ? ` · profile ${route.profile}` : ""} · because ${route.reason}`
      : " (not routed yet)";
    return `${role}: ${entry.model}${served}`;
  });
}

function usageLines(view: UsageReportView, now: number): string[] {
  if (view.profiles.length === 0)
    return ["no profiles; log in with 'hedge auth login --provider PROVIDER'"];
  return view.profiles.map((entry) => {
    const left = entry.windows.length > 0 ? ` · ${Math.round(entry.left * 100)}% left` : "";
    const cooldown = entry.cooldown
      ? ` · cooldown ${formatWait(Date.parse(entry.cooldown.until) - now)}: ${entry.cooldown.reason}`
      : "";
    return `${entry.profile} (${entry.provider}, ${entry.kind})${left}${cooldown}`;
  });
}

/** `/diff`: the working tree against HEAD (untracked files listed), as a command cell. */
async function showDiff(context: SlashContext): Promise<void> {
  const id = `slash_diff_${(noticeCounter += 1)}`;
  const command = "git diff HEAD";
  const item = {
    id,
    type: "command_execution" as const,
    command,
    aggregated_output: "",
    status: "in_progress" as const,
  };
  context.emit({ type: "item.started", item });
  const diff = await git(context.cwd, ["diff", "HEAD", "--no-color"]);
  const untracked = await git(context.cwd, ["ls-files", "--others", "--exclude-standard"]);
  const output =
    diff.output +
    (untracked.output.trim()
      ? `\nUntracked files:\n${untracked.output
          .trim()
          .split("\n")
          .map((path) => `  ${path}`)
          .join("\n")}\n`
      : "");
  context.emit({
    type: "item.completed",
    item: {
      ...item,
      aggregated_output: output.trim() === "" ? "(no changes)" : output,
      exit_code: diff.code,
      status: diff.code === 0 ? "completed" : "failed",
    },
  });
}

function git(cwd: string, args: string[]): Promise<{ output: string; code: number }> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ output: code === 0 ? stdout : `${stdout}${stderr}`, code });
    });
  });
}
