import { cpSync, mkdirSync, rmSync } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { git } from "@hedge/core";

const execFileAsync = promisify(execFile);

const IDENTITY = ["-c", "user.email=eval@hedge.invalid", "-c", "user.name=hedge eval"];
/**
 * Git for repositories the runner made itself from a task's files: the user's global and system
 * config stay out (hooks, templates, filters there are not the task's), no hooks run, and a
 * task's `.gitattributes` can name no filter or diff driver (none is configured).
 */
const SAFE = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "diff.external=",
];
const ISOLATED_ENV = {
  PATH: process.env["PATH"] ?? "/usr/bin:/bin",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};

/** Copies a task's `workspace/` to `repo`, makes it a git repository with one commit; its sha. */
export async function makeFixtureRepo(workspaceDir: string, repo: string): Promise<string> {
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true, mode: 0o700 });
  cpSync(workspaceDir, repo, { recursive: true, verbatimSymlinks: true });
  await run(repo, ["init", "-q", "-b", "main"]);
  await run(repo, [...IDENTITY, "add", "-A"]);
  await run(repo, [...IDENTITY, "commit", "-q", "--no-verify", "-m", "task workspace"]);
  return (await run(repo, ["rev-parse", "HEAD"])).trim();
}

/** Per repository, the tail of its worktree operations: git locks its bookkeeping, one at a time. */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(repo: string, operation: () => Promise<T>): Promise<T> {
  const next = (queues.get(repo) ?? Promise.resolve()).then(operation, operation);
  queues.set(
    repo,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * A detached worktree of `repo` at `base` in `dir`, an empty directory that stays in place: the
 * other attempts' sandboxes mask it by path, and bubblewrap refuses to start when a path it was
 * told to mask vanished in between.
 */
export function addWorktree(repo: string, dir: string, base: string): Promise<void> {
  return serialized(repo, async () => {
    await run(repo, ["worktree", "add", "-q", "--detach", dir, base]);
  });
}

/**
 * Paths changed in the worktree against `base`, new files included. The worktree is the model's
 * work: read with core's git, which runs nothing the repository's config or attributes name.
 */
export async function changedPaths(dir: string, base: string): Promise<string[]> {
  const changed = await git(dir, ["diff", "--name-only", "-z", base]);
  const untracked = await git(dir, ["ls-files", "--others", "--exclude-standard", "-z"]);
  return [...new Set(`${changed.stdout}\0${untracked.stdout}`.split("\0").filter(Boolean))];
}

async function run(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("git", [...SAFE, ...args], {
    cwd,
    env: ISOLATED_ENV,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}
