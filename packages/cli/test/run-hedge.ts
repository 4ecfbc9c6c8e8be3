import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const HEDGE_BIN = fileURLToPath(new URL("../dist/hedge.js", import.meta.url));

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export type HedgeRun = Omit<ProcessRun, "signal">;

/**
 * Runs `command` as a real child process with exactly `env` (nothing inherited but PATH, so no
 * real key or home leaks in) and `input` on stdin, and collects its exit and both outputs.
 * With `limitMs` it is killed if it runs longer.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; limitMs?: number } = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      env: { PATH: process.env["PATH"], NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const killer =
      options.limitMs === undefined
        ? undefined
        : setTimeout(() => child.kill("SIGKILL"), options.limitMs);
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Runs the built `hedge` binary as a real child process. */
export async function runHedge(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<HedgeRun> {
  // Tests compare whole runs: a hedge run is its exit code and its outputs.
  const { code, stdout, stderr } = await runProcess(
    process.execPath,
    [HEDGE_BIN, ...args],
    options,
  );
  return { code, stdout, stderr };
}

/** A temp directory removed by the returned cleanup. */
export function tempDir(prefix = "hedge-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
