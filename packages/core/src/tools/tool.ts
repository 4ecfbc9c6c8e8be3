import type { z } from "zod";
import type { approvalPolicySchema, sandboxModeSchema } from "../config-schema.js";
import type { ApprovalAnswer, ApprovalRequest, FileChange } from "./approval-schema.js";
import type { SecretRedactor } from "./redact.js";

/** Where commands may write: Codex's sandbox modes. */
export type SandboxMode = z.infer<typeof sandboxModeSchema>;
/** When a command needs the user's approval: Codex's approval policies. */
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

/** A failure the model reads and reacts to; it never ends the turn. */
export interface ToolFailure {
  /** Stable machine-readable kind: `invalid_arguments`, `unknown_tool`, `approval_denied`, ... */
  type: string;
  /** One or a few lines the model can act on. */
  message: string;
}

/** What the `shell` tool reports about a command that ran. */
export interface ExecMetadata {
  kind: "exec";
  command: string[];
  /** The process's own exit code; 128 + signal number when killed by a signal; 124 on timeout. */
  exit_code: number;
  duration_ms: number;
  timed_out: boolean;
  /** Interleaved stdout and stderr, bounded (head and tail kept, middle replaced by a marker). */
  aggregated_output: string;
  /** Whether the command ran inside the sandbox (false in danger-full-access or after approved escalation). */
  sandboxed: boolean;
}

export type { FileChange };

/** What `apply_patch` (or a `shell` call running `apply_patch`) changed. */
export interface PatchMetadata {
  kind: "patch";
  changes: FileChange[];
}

/** One step of the agent's plan. */
export interface PlanStep {
  step: string;
  status: "pending" | "in_progress" | "completed";
}

/** The plan after `update_plan`; the loop turns it into a `todo_list` item. */
export interface PlanMetadata {
  kind: "plan";
  explanation?: string;
  plan: PlanStep[];
}

/** Structured results for the loop, discriminated on `kind`. The model sees only `output`. */
export type ToolMetadata = ExecMetadata | PatchMetadata | PlanMetadata;

/** The outcome of one tool call. Both branches go back to the model. */
export type ToolResult =
  { ok: true; output: string; metadata?: ToolMetadata } | { ok: false; error: ToolFailure };

/** Everything a tool may use; narrow on purpose (no config object). */
export interface ToolContext {
  /** Absolute path of the workspace root (the repository the agent works on). */
  workspace: string;
  /** Absolute working directory for relative paths and commands; normally inside `workspace`. */
  cwd: string;
  /** Extra absolute roots that are writable like the workspace (`--add-dir`). */
  writableRoots: readonly string[];
  sandboxMode: SandboxMode;
  /** Whether sandboxed commands may use the network (`sandbox.network`). */
  network: boolean;
  approvalPolicy: ApprovalPolicy;
  /** Asks the user. Non-interactive callers (`hedge exec`) answer `deny`: nobody can approve. */
  approve: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  /** Aborts running commands (their process group is killed). */
  signal: AbortSignal;
  /** Streams command output as it arrives (stdout and stderr interleaved, UTF-8 text). */
  onOutput?: (chunk: string) => void;
  /** Explicit bubblewrap executable instead of `bwrap` on PATH (tests, unusual installs). */
  bwrapPath?: string;
  /** A host directory sandboxed commands see as `/tmp` (see `SandboxOptions.privateTmp`). */
  privateTmp?: string;
  /**
   * The environment of every child process a tool starts (commands, ripgrep): built from
   * `[shell_environment_policy]`, never holding hedge's own keys.
   */
  env: Readonly<Record<string, string>>;
  /**
   * Absolute paths (as configured and with symlinks resolved) hidden from sandboxed commands and
   * refused by read_file, list_dir and grep: `$HEDGE_HOME`, login homes, `~/.ssh`, ...
   */
  denyRead: readonly string[];
  /** Replaces the secrets hedge holds in output (the tool host also applies it to every result). */
  redactor: SecretRedactor;
}

/**
 * A function the model can call. `parameters` is the one schema source: arguments are parsed
 * with it and the JSON Schema the model sees is derived from it.
 */
export interface Tool<Params = unknown> {
  name: string;
  description: string;
  parameters: z.ZodType<Params>;
  // Method syntax on purpose: a Tool<{...}> must be storable as a Tool<unknown> in the registry.
  execute(params: Params, context: ToolContext): Promise<ToolResult>;
}

/** Declares a tool; its parameter type is inferred from the zod schema. */
export function defineTool<Params>(tool: Tool<Params>): Tool<Params> {
  return tool;
}

/** Shorthand for a failed result. */
export function toolError(type: string, message: string): ToolResult {
  return { ok: false, error: { type, message } };
}
