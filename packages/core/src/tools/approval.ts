import { isKnownSafeCommand } from "./safe-command.js";
import type { ApprovalAnswer } from "./approval-schema.js";
import { toolError, type ApprovalPolicy, type SandboxMode, type ToolResult } from "./tool.js";

/** The approver of non-interactive runs (`hedge exec`): nobody can answer, so everything is denied. */
export function denyAllApprovals(): Promise<ApprovalAnswer> {
  return Promise.resolve({ type: "deny" });
}

/** How to run one shell call before it starts. */
export type ExecApprovalPlan =
  { action: "run"; sandboxed: boolean } | { action: "ask"; sandboxed: boolean; reason: string };

/**
 * Decides, before running, whether a command needs approval and whether it runs in the sandbox
 * (Codex semantics):
 * - `untrusted`: known-safe read-only commands run; everything else asks.
 * - `on-request`: commands run in the sandbox; `with_escalated_permissions` asks to leave it.
 * - `on-failure`: commands run in the sandbox; a failure that looks like a sandbox denial asks to
 *   re-run outside it (see {@link shouldOfferUnsandboxedRetry}).
 * - `never`: never asks; escalation requests are ignored and the command stays sandboxed.
 * In `danger-full-access` there is no sandbox, so only `untrusted` ever asks.
 */
export function planExecApproval(input: {
  policy: ApprovalPolicy;
  mode: SandboxMode;
  command: readonly string[];
  escalationRequested: boolean;
}): ExecApprovalPlan {
  const sandboxAvailable = input.mode !== "danger-full-access";
  const escalate = sandboxAvailable && input.escalationRequested;
  switch (input.policy) {
    case "untrusted":
      if (escalate) return { action: "ask", sandboxed: false, reason: escalationReason };
      if (isKnownSafeCommand(input.command)) return { action: "run", sandboxed: sandboxAvailable };
      return {
        action: "ask",
        sandboxed: sandboxAvailable,
        reason: "approval policy untrusted: not a known read-only command",
      };
    case "on-request":
      if (escalate) return { action: "ask", sandboxed: false, reason: escalationReason };
      return { action: "run", sandboxed: sandboxAvailable };
    case "on-failure":
    case "never":
      return { action: "run", sandboxed: sandboxAvailable };
  }
}

const escalationReason =
  "runs outside the sandbox: the model asked with with_escalated_permissions";

const SANDBOX_DENIAL_PATTERNS = [
  /operation not permitted/i,
  /permission denied/i,
  /read-only file system/i,
  /\bsandbox\b/i,
  /network is unreachable/i,
  /temporary failure in name resolution/i,
  /could not resolve host/i,
  /name or service not known/i,
  /\bEAI_AGAIN\b/,
  /\bENETUNREACH\b/,
  /\bEROFS\b/,
  /\bEACCES\b/,
  /\bEPERM\b/,
];

/**
 * `on-failure`: whether a failed sandboxed command should be offered to run again outside the
 * sandbox. Like Codex, only failures that look like the sandbox's doing (write denied, no
 * network) qualify: a failing test or a typo is not the sandbox's fault.
 */
export function shouldOfferUnsandboxedRetry(input: {
  policy: ApprovalPolicy;
  sandboxed: boolean;
  exitCode: number;
  timedOut: boolean;
  output: string;
}): boolean {
  if (input.policy !== "on-failure" || !input.sandboxed) return false;
  if (input.exitCode === 0 || input.timedOut || input.exitCode === 127) return false;
  return SANDBOX_DENIAL_PATTERNS.some((pattern) => pattern.test(input.output));
}

/**
 * The result a tool returns when its approval was declined: the model is told, nothing ran, and
 * it gets the user's note when they wrote one.
 */
export function approvalDenied(what: string, reason: string, answer?: ApprovalAnswer): ToolResult {
  const note =
    answer?.type === "deny_with_note" && answer.note.trim()
      ? `. The user's note: ${answer.note.trim()}`
      : "";
  return toolError(
    "approval_denied",
    `the user did not approve ${what} (${reason})${note}; ask for another way or explain`,
  );
}

/** `git status --short` → "`git status --short`" for messages. */
export function describeCommand(command: readonly string[]): string {
  const text = command
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`))
    .join(" ");
  return `\`${text.length > 200 ? `${text.slice(0, 200)}…` : text}\``;
}
