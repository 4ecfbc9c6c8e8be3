import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ToolHost } from "@hedge/core";
import type { EvalTask } from "../tasks/task-schema.js";
import type { TryResult } from "./attempt-record.js";

/** What scoring a worktree gives: the result, and the tests' output for the feedback message. */
export interface Scored {
  result: TryResult;
  output: string;
}

/**
 * The test command's placeholders: `{node}` is this Node, `{tsc}` and `{tsx}` hedge's own
 * TypeScript compiler and runner, so TS tasks need no `node_modules` of their own.
 */
export function placeholders(repoRoot: string): Record<string, string[]> {
  const require = createRequire(join(repoRoot, "package.json"));
  const resolveOr = (specifier: string): string | undefined => {
    try {
      return require.resolve(specifier);
    } catch {
      return undefined;
    }
  };
  const tsc = resolveOr("typescript/bin/tsc");
  const tsxPackage = resolveOr("tsx/package.json");
  return {
    "{node}": [process.execPath],
    ...(tsc ? { "{tsc}": [process.execPath, tsc] } : {}),
    ...(tsxPackage
      ? { "{tsx}": [process.execPath, join(dirname(tsxPackage), "dist", "cli.mjs")] }
      : {}),
  };
}

/**
 * Copies the task's hidden `tests/` into the worktree (replacing whatever the agent put at
 * `tests/`), then runs each test argv through the same sandboxed shell tool the agent used (no
 * network, the environment allowlist, secrets hidden), `timeout_sec` each. Passed = every
 * command exited 0.
 */
export async function scoreWorktree(input: {
  task: EvalTask;
  worktree: string;
  tools: ToolHost;
  tryNumber: number;
  expand: Record<string, string[]>;
  signal: AbortSignal;
}): Promise<Scored> {
  const { task, worktree } = input;
  const target = join(worktree, "tests");
  rmSync(target, { recursive: true, force: true });
  cpSync(task.testsDir, target, { recursive: true });
  const started = Date.now();
  const env = Object.entries(task.test_env).map(([name, value]) => `${name}=${value}`);
  let passed = true;
  let timedOut = false;
  const outputs: string[] = [];
  for (const [index, argv] of task.test.entries()) {
    const expanded = argv.flatMap((arg) => input.expand[arg] ?? [arg]);
    const command = env.length > 0 ? ["env", ...env, ...expanded] : expanded;
    let exitCode: number | undefined;
    let text = "";
    const outcome = await input.tools.run(
      {
        id: `test_${input.tryNumber}_${index}`,
        name: "shell",
        arguments: JSON.stringify({ command, timeout_ms: Math.round(task.timeout_sec * 1000) }),
      },
      (phase, item) => {
        if (phase !== "completed" || item.type !== "command_execution") return;
        exitCode = item.exit_code;
        text = item.aggregated_output;
      },
      () => `test_item_${input.tryNumber}_${index}`,
      input.signal,
    );
    if (!text) text = outcome.content;
    // 124: the shell tool's exit code for a command killed at its timeout (as timeout(1) says).
    if (exitCode === 124) timedOut = true;
    outputs.push(`$ ${argv.join(" ")}\n${text}${exitCode === 124 ? "\nTests timed out!" : ""}`);
    if (outcome.isError || exitCode !== 0) {
      passed = false;
      break;
    }
  }
  return {
    result: { try: input.tryNumber, passed, timed_out: timedOut, test_ms: Date.now() - started },
    output: outputs.join("\n"),
  };
}
