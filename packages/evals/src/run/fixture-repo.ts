import { cpSync, mkdirSync, rmSync } from "node:fs";
import { git } from "@hedge/core";

const IDENTITY = ["-c", "user.email=eval@hedge.invalid", "-c", "user.name=hedge eval"];
/** The user's global and system git config stays out: hooks or templates there are not the task's. */
const ISOLATED_ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

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

/** A detached worktree of `repo` at `base` in `dir` (an empty or missing directory). */
export async function addWorktree(repo: string, dir: string, base: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  await run(repo, ["worktree", "add", "-q", "--detach", dir, base]);
}

/** Removes the worktree and its git bookkeeping. */
export async function removeWorktree(repo: string, dir: string): Promise<void> {
  await run(repo, ["worktree", "remove", "--force", dir]).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  await run(repo, ["worktree", "prune"]).catch(() => undefined);
}

/** Paths changed in the worktree against `base` (committed or not, new files included). */
export async function changedPaths(dir: string, base: string): Promise<string[]> {
  await run(dir, [...IDENTITY, "add", "-A", "--intent-to-add"]).catch(() => undefined);
  const out = await run(dir, ["diff", "--name-only", base]);
  return out.split("\n").filter(Boolean);
}

async function run(cwd: string, args: string[]): Promise<string> {
  const result = await git(cwd, args, { env: ISOLATED_ENV });
  return result.stdout;
}
