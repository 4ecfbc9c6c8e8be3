import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "@hedge/model-spec/errors";
import type { ApprovalPolicy, SandboxMode } from "@hedge/core";
import type { GlobalOptions } from "../context.js";

/** The interactive session's flags (those of `exec` that apply). */
export interface InteractiveOptions {
  model?: string;
  role: string[];
  sandbox?: string;
  approvalPolicy?: string;
  cd?: string;
  addDir: string[];
  qa: boolean;
  gateway?: string;
}

/** `hedge resume ID` / `hedge resume --last`. */
export interface ResumeChoice {
  id?: string;
  last?: boolean;
}

/** The flags, checked: where to run and how. */
export interface CheckedInteractiveOptions extends Omit<
  InteractiveOptions,
  "sandbox" | "approvalPolicy"
> {
  cwd: string;
  sandboxMode?: SandboxMode;
  approvalPolicy?: ApprovalPolicy;
}

/**
 * `hedge [PROMPT]` and `hedge resume`: checks the flags and the terminal, then starts the TUI
 * (loaded only now: ink and React never load for other commands).
 */
export async function runInteractive(
  globals: GlobalOptions,
  prompt: string | undefined,
  options: InteractiveOptions,
  resume?: ResumeChoice,
): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(
      'the interactive session needs a terminal; for scripts and pipes use: hedge exec "PROMPT"',
    );
  }
  if (resume && !resume.last && resume.id === undefined) {
    throw new UsageError("resume needs a session id or --last", { hint: "hedge resume --last" });
  }
  const checked = await checkOptions(options);
  const { runTui } = await import("../tui/run-tui.js");
  process.exitCode = await runTui({
    globals,
    options: checked,
    ...(prompt?.trim() ? { prompt } : {}),
    ...(resume ? { resume } : {}),
  });
}

async function checkOptions(options: InteractiveOptions): Promise<CheckedInteractiveOptions> {
  const cwd = resolve(options.cd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw new UsageError(`--cd ${options.cd ?? ""}: not a directory`);
  // core (and zod) load before the screen only to check these flags when they are given.
  const { approvalPolicySchema, sandboxModeSchema } =
    options.sandbox || options.approvalPolicy ? await import("@hedge/core") : {};
  const sandbox = options.sandbox && sandboxModeSchema?.safeParse(options.sandbox);
  if (sandbox && !sandbox.success)
    throw new UsageError(`--sandbox ${options.sandbox ?? ""}: unknown mode`, {
      hint: `use one of ${sandboxModeSchema?.options.join(", ") ?? ""}`,
    });
  const policy = options.approvalPolicy && approvalPolicySchema?.safeParse(options.approvalPolicy);
  if (policy && !policy.success)
    throw new UsageError(`--ask-for-approval ${options.approvalPolicy ?? ""}: unknown policy`, {
      hint: `use one of ${approvalPolicySchema?.options.join(", ") ?? ""}`,
    });
  const { sandbox: _sandbox, approvalPolicy: _policy, ...rest } = options;
  return {
    ...rest,
    cwd,
    ...(sandbox && sandbox.success ? { sandboxMode: sandbox.data } : {}),
    ...(policy && policy.success ? { approvalPolicy: policy.data } : {}),
  };
}
