import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const HEDGE_BIN = fileURLToPath(new URL("../dist/hedge.js", import.meta.url));

export interface HedgeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `hedge` binary as a real child process. */
export function runHedge(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<HedgeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HEDGE_BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { PATH: process.env["PATH"], NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** A temp directory removed by the returned cleanup. */
export function tempDir(prefix = "hedge-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
