import type { ApprovalRequest } from "@hedge/core";

/**
 * One block of the transcript, as data: the transcript model makes cells from the thread's
 * events, components draw them. Every text in a cell is clean (no escape sequences or control
 * characters: see `sanitize.ts`). A committed cell never changes; it is printed once.
 */
export type Cell =
  | UserCell
  | AssistantCell
  | ReasoningCell
  | CommandCell
  | ToolCell
  | FileChangeCell
  | PlanCell
  | QaCell
  | RouteCell
  | NoticeCell
  | ApprovalCell
  | AsideCell
  | ErrorCell;

/** Something the user sent: a turn's prompt, a steer (mid-turn), a queued follow-up. */
export interface UserCell {
  kind: "user";
  id: string;
  text: string;
  /** `tool_boundary`: a steer the running turn took at a tool boundary. */
  via: "turn_start" | "tool_boundary";
}

/**
 * A piece of the assistant's answer (markdown). A streamed answer is committed in pieces at safe
 * split points; `continued` marks a piece that is not the answer's first.
 */
export interface AssistantCell {
  kind: "assistant";
  id: string;
  markdown: string;
  continued: boolean;
}

/** The model's reasoning summary, shown collapsed (first line and a line count). */
export interface ReasoningCell {
  kind: "reasoning";
  id: string;
  text: string;
}

/** A shell command the agent ran (or runs: live). */
export interface CommandCell {
  kind: "command";
  id: string;
  command: string;
  status: "running" | "completed" | "failed" | "declined" | "interrupted";
  exitCode?: number;
  /** Run time measured by the TUI (item start to completion), when both were seen. */
  durationMs?: number;
  /** Epoch ms the command started (live cells show the elapsed time). */
  startedAt?: number;
  output: string;
}

/** Any other tool (read_file, grep, an MCP tool...). */
export interface ToolCell {
  kind: "tool";
  id: string;
  tool: string;
  /** One line: the tool's main argument (a path, a pattern) or its arguments as JSON. */
  summary: string;
  status: "running" | "completed" | "failed";
  error?: string;
  /** What the tool returned (an MCP tool's text content), shown folded under the row. */
  result?: string;
}

/** Files a patch touched; `diff` when the thread reports one. */
export interface FileChangeCell {
  kind: "file-change";
  id: string;
  status: "completed" | "failed";
  changes: { path: string; kind: "add" | "delete" | "update"; diff?: string }[];
}

/** The plan as a checklist. */
export interface PlanCell {
  kind: "plan";
  id: string;
  items: { text: string; completed: boolean }[];
}

/** The QA verifier's verdict on a turn. */
export interface QaCell {
  kind: "qa";
  id: string;
  verdict: "pass" | "add_tasks" | "block";
  reason: string;
  tasks: string[];
  round: number;
}

/** One route decision: which model, provider and profile serve a role, and why. */
export interface RouteCell {
  kind: "route";
  id: string;
  role: string;
  target: string;
  profile: string | null;
  reason: string;
}

/** A notice: a profile switch, a cooldown, compaction, an interrupt, the session id. */
export interface NoticeCell {
  kind: "notice";
  id: string;
  tone: "info" | "warning" | "muted";
  text: string;
}

/** How an approval request was answered (the request itself is the approval prompt). */
export interface ApprovalCell {
  kind: "approval";
  id: string;
  /** One line: the command, or the files of a patch. */
  subject: string;
  approved: boolean;
  /** "approved once", "approved for this session", "denied", "denied: note"... */
  outcome: string;
}

/** A side question (`/ask`), answered on a fork of the conversation: shown apart. */
export interface AsideCell {
  kind: "aside";
  id: string;
  question: string;
  markdown: string;
  status: "running" | "completed" | "failed";
  model: string;
  profile: string | null;
  cachedTokens?: number;
  error?: string;
}

/** A failed turn or a stream error. */
export interface ErrorCell {
  kind: "error";
  id: string;
  message: string;
}

/** What an approval prompt shows: the request, cleaned, with its id. */
export interface ApprovalView {
  requestId: string;
  request: ApprovalRequest;
}
