import { spawn } from "node:child_process";

/** What a git command printed; `truncated` when output beyond `capBytes` was cut off. */
export interface GitOutput {
  stdout: string;
  truncated: boolean;
}

export interface GitOptions {
  /** Extra environment (e.g. `GIT_INDEX_FILE`). */
  env?: Record<string, string>;
  /** Stop reading (and end git) after this many bytes of stdout. */
  capBytes?: number;
  input?: string;
}

/** A git command failed; the message names the command and git's first line of complaint. */
export class GitCommandError extends Error {
  override name = "GitCommandError";
}

/**
 * Runs `git -C repo ...args`. Optional locks are off (`GIT_OPTIONAL_LOCKS=0`) so reading never
 * rewrites the user's index, and an inherited `GIT_INDEX_FILE` cannot redirect us.
 */
export function git(
  repo: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitOutput> {
  const { GIT_INDEX_FILE: _inherited, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repo, ...args], {
      env: { ...inherited, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let truncated = false;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (truncated) return;
      const cap = options.capBytes;
      if (cap !== undefined && bytes + chunk.length > cap) {
        chunks.push(chunk.subarray(0, cap - bytes));
        bytes = cap;
        truncated = true;
        child.kill();
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on("error", (error) =>
      reject(new GitCommandError(`cannot run git: ${error.message}`, { cause: error })),
    );
    child.on("close", (code) => {
      const stdout = Buffer.concat(chunks).toString("utf8");
      if (truncated || code === 0) {
        resolve({ stdout, truncated });
        return;
      }
      const complaint =
        stderr
          .split("\n")
          .map((line) => line.trim())
          .find((line) => line.length > 0) ?? `exit code ${String(code)}`;
      reject(new GitCommandError(`git ${args[0] ?? ""} failed in ${repo}: ${complaint}`));
    });
    // A killed git (output capped) may close stdin before we finish writing.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}
