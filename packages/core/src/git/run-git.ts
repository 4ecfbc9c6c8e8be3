import { spawn } from "node:child_process";
import {
  DROPPED_ENV,
  GIT_ENV,
  NAMED_KEYS_PATTERN,
  STATIC_OVERRIDES,
  namedKeyOverrides,
} from "./untrusted-config.js";

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

/** Runs git commands in one repository; see {@link repoGit}. */
export type RepoGit = (args: readonly string[], options?: GitOptions) => Promise<GitOutput>;

/** Subcommands that can print a patch: an external diff or a textconv program could run. */
const PATCH_COMMANDS = new Set(["diff", "diff-tree", "diff-index", "diff-files", "log", "show"]);

/**
 * The one way hedge runs git itself. `repo` is the worktree (the directory holding `.git`); the
 * repository is untrusted, so nothing its config names runs: fsmonitor, hooks, filter and diff
 * drivers, pager, editors, transports and credential helpers are overridden on the command line
 * (see `untrusted-config.ts`), the worktree is `repo` whatever `core.worktree` says, and an
 * inherited `GIT_DIR`/`GIT_INDEX_FILE` cannot redirect the command.
 *
 * Keys named by the repository (filter drivers and the like) are read once per runner, with
 * `git config` (which executes nothing), before the first command: use one runner for the
 * commands of one operation.
 */
export function repoGit(repo: string): RepoGit {
  let named: Promise<string[]> | undefined;
  return async (args, options = {}) => {
    named ??= namedKeyOverridesOf(repo);
    return spawnGit(repo, withPatchSafety(args), options, await named);
  };
}

async function namedKeyOverridesOf(repo: string): Promise<string[]> {
  const listing = ["config", "--null", "--name-only", "--get-regexp", NAMED_KEYS_PATTERN];
  try {
    return namedKeyOverrides((await spawnGit(repo, listing)).stdout);
  } catch (error) {
    if (error instanceof GitExit && error.code === 1) return []; // no key matched
    throw error;
  }
}

/** Runs one git command in `repo` with {@link repoGit}'s protections. */
export function git(
  repo: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitOutput> {
  return repoGit(repo)(args, options);
}

/** `--no-ext-diff --no-textconv` right after a patch-printing subcommand. */
function withPatchSafety(args: readonly string[]): string[] {
  const index = args.findIndex((arg) => !arg.startsWith("-"));
  const subcommand = args[index];
  if (subcommand === undefined || !PATCH_COMMANDS.has(subcommand)) return [...args];
  return [...args.slice(0, index + 1), "--no-ext-diff", "--no-textconv", ...args.slice(index + 1)];
}

class GitExit extends GitCommandError {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
  }
}

function spawnGit(
  repo: string,
  args: readonly string[],
  options: GitOptions = {},
  namedOverrides: readonly string[] = [],
): Promise<GitOutput> {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const name of DROPPED_ENV) delete inherited[name];
  const argv = [
    "-C",
    repo,
    `--work-tree=${repo}`,
    "--no-pager",
    ...STATIC_OVERRIDES.flatMap((override) => ["-c", override]),
    ...namedOverrides,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("git", argv, {
      env: { ...inherited, ...GIT_ENV, ...options.env },
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
      const subcommand = args.find((arg) => !arg.startsWith("-")) ?? "";
      reject(new GitExit(`git ${subcommand} failed in ${repo}: ${complaint}`, code));
    });
    // A killed git (output capped) may close stdin before we finish writing.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}
